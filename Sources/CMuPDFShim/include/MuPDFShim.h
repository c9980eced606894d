// Exception-safe wrappers around the MuPDF calls that can throw. MuPDF reports errors with setjmp-based
// fz_try/fz_catch, which Swift cannot express; every function here catches and returns NULL or -1 instead,
// copying MuPDF's own message (never document content) into `err`.
#ifndef MEDLOCAL_MUPDF_SHIM_H
#define MEDLOCAL_MUPDF_SHIM_H

#include <mupdf/fitz.h>

/// One vector mark on a page, in page coordinates (points, top-left origin).
/// kind 0: a stroked straight segment; kind 1: a filled axis-aligned rectangle.
typedef struct {
    float x0, y0, x1, y1;
    float width;
    int kind;
} mp_mark;

typedef struct {
    mp_mark *items;
    int count;
    int capacity;
} mp_marks;

/// A context with the document handlers registered and MuPDF's own stderr output silenced.
fz_context *mp_new_context(void);
void mp_drop_context(fz_context *ctx);

fz_document *mp_open_document(fz_context *ctx, const char *path, char *err, int errlen);
void mp_drop_document(fz_context *ctx, fz_document *doc);
/// 1 when the document is encrypted with a password we do not have.
int mp_needs_password(fz_context *ctx, fz_document *doc);
int mp_count_pages(fz_context *ctx, fz_document *doc, char *err, int errlen);

/// Loads page `number` (0-based) once and fills its bounds, its structured text (returned) and, when `marks` is
/// not NULL, the ruling lines and filled rectangles drawn on it.
fz_stext_page *mp_page_content(fz_context *ctx, fz_document *doc, int number, int flags, fz_rect *bounds,
                               mp_marks *marks, char *err, int errlen);
void mp_drop_stext(fz_context *ctx, fz_stext_page *page);
void mp_free_marks(mp_marks *marks);

/// Encodes an image found in structured text as PNG; returns NULL when it cannot.
fz_buffer *mp_image_png(fz_context *ctx, fz_image *image, char *err, int errlen);
void mp_drop_buffer(fz_context *ctx, fz_buffer *buffer);
size_t mp_buffer_data(fz_context *ctx, fz_buffer *buffer, unsigned char **data);

/// Renders page `number` (0-based) at `dpi` to a grey (gray != 0) or RGB pixmap without alpha.
fz_pixmap *mp_render_page(fz_context *ctx, fz_document *doc, int number, float dpi, int gray, char *err, int errlen);
void mp_drop_pixmap(fz_context *ctx, fz_pixmap *pixmap);

/// Writes a redacted copy of the PDF at `path` to `out`: rect i (x0, y0, x1, y1 at rects[4i…], in page points,
/// origin top-left) on page rect_pages[i] (0-based) has its text removed from the content, image pixels under
/// it blanked and a black box drawn; annotations, form fields, document info, XMP, outlines, attachments and
/// scripts are removed from every page. Returns 0, or -1 with MuPDF's message in `err`.
int mp_redact_pdf(fz_context *ctx, const char *path, const char *out, const int *rect_pages, const float *rects,
                  int count, char *err, int errlen);

#endif
