// Tesseract C API (Debian libtesseract-dev); images are passed as raw 8-bit buffers, so Leptonica is not needed here.
#include <tesseract/capi.h>
