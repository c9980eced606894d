// Tesseract C API (Debian libtesseract-dev) and Leptonica (libleptonica-dev), which decodes image files
// (PNG, JPEG, TIFF, BMP) for OCR and the image classifiers.
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>
