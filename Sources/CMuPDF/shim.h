// MuPDF's public API (Debian libmupdf-dev). The link list lives in module.modulemap because mupdf.pc is stale.
#include <mupdf/fitz.h>
