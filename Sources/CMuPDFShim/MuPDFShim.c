#include "MuPDFShim.h"
#include <stdlib.h>
#include <string.h>

static void copy_error(fz_context *ctx, char *err, int errlen) {
    if (err && errlen > 0) {
        const char *message = fz_caught_message(ctx);
        strncpy(err, message ? message : "unknown MuPDF error", (size_t)errlen - 1);
        err[errlen - 1] = 0;
    }
}

// MuPDF prints warnings and errors to stderr by default; the Swift side reports errors itself.
static void quiet(void *user, const char *message) { (void)user; (void)message; }

fz_context *mp_new_context(void) {
    fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
    if (!ctx) return NULL;
    fz_set_warning_callback(ctx, quiet, NULL);
    fz_set_error_callback(ctx, quiet, NULL);
    fz_try(ctx) fz_register_document_handlers(ctx);
    fz_catch(ctx) { fz_drop_context(ctx); return NULL; }
    return ctx;
}

void mp_drop_context(fz_context *ctx) { fz_drop_context(ctx); }

fz_document *mp_open_document(fz_context *ctx, const char *path, char *err, int errlen) {
    fz_document *doc = NULL;
    fz_try(ctx) doc = fz_open_document(ctx, path);
    fz_catch(ctx) { copy_error(ctx, err, errlen); doc = NULL; }
    return doc;
}

void mp_drop_document(fz_context *ctx, fz_document *doc) { fz_drop_document(ctx, doc); }

int mp_needs_password(fz_context *ctx, fz_document *doc) {
    int needs = 0;
    fz_try(ctx) needs = fz_needs_password(ctx, doc);
    fz_catch(ctx) needs = 1;
    return needs;
}

int mp_count_pages(fz_context *ctx, fz_document *doc, char *err, int errlen) {
    int count = -1;
    fz_try(ctx) count = fz_count_pages(ctx, doc);
    fz_catch(ctx) { copy_error(ctx, err, errlen); count = -1; }
    return count;
}

// ---- ruling lines: a device that records stroked segments and filled rectangles

typedef struct {
    fz_device super;
    mp_marks *marks;
    fz_matrix ctm;
    float width;
    int filling;
    fz_point current, start;
    int points;            // points in the current filled path (a rectangle has 4 or 5)
    fz_rect path_box;
    int path_is_axis_aligned;
} mark_device;

static void add_mark(mp_marks *marks, float x0, float y0, float x1, float y1, float width, int kind) {
    if (marks->count == marks->capacity) {
        int capacity = marks->capacity ? marks->capacity * 2 : 64;
        mp_mark *items = realloc(marks->items, (size_t)capacity * sizeof(mp_mark));
        if (!items) return;   // out of memory: drop the mark; text extraction still works
        marks->items = items;
        marks->capacity = capacity;
    }
    marks->items[marks->count++] = (mp_mark){ x0, y0, x1, y1, width, kind };
}

static void walk_moveto(fz_context *ctx, void *arg, float x, float y) {
    (void)ctx;
    mark_device *dev = arg;
    dev->current = dev->start = fz_transform_point(fz_make_point(x, y), dev->ctm);
    if (dev->filling) {
        dev->path_box = fz_include_point_in_rect(dev->path_box, dev->current);
        dev->points++;
    }
}

static void segment_to(mark_device *dev, fz_point p) {
    if (dev->filling) {
        if (p.x != dev->current.x && p.y != dev->current.y) dev->path_is_axis_aligned = 0;
        dev->path_box = fz_include_point_in_rect(dev->path_box, p);
        dev->points++;
    } else {
        add_mark(dev->marks, dev->current.x, dev->current.y, p.x, p.y, dev->width, 0);
    }
    dev->current = p;
}

static void walk_lineto(fz_context *ctx, void *arg, float x, float y) {
    (void)ctx;
    mark_device *dev = arg;
    segment_to(dev, fz_transform_point(fz_make_point(x, y), dev->ctm));
}

static void walk_curveto(fz_context *ctx, void *arg, float x1, float y1, float x2, float y2, float x3, float y3) {
    (void)ctx; (void)x1; (void)y1; (void)x2; (void)y2;
    mark_device *dev = arg;
    dev->path_is_axis_aligned = 0;   // curves are never rules
    dev->current = fz_transform_point(fz_make_point(x3, y3), dev->ctm);
}

static void walk_closepath(fz_context *ctx, void *arg) {
    (void)ctx;
    mark_device *dev = arg;
    if (dev->current.x != dev->start.x || dev->current.y != dev->start.y) segment_to(dev, dev->start);
}

static void walk_rectto(fz_context *ctx, void *arg, float x0, float y0, float x1, float y1) {
    (void)ctx;
    mark_device *dev = arg;
    fz_rect r = fz_transform_rect(fz_make_rect(x0, y0, x1, y1), dev->ctm);
    if (dev->filling) {
        dev->path_box = fz_union_rect(dev->path_box, r);
        dev->points += 4;
    } else {
        add_mark(dev->marks, r.x0, r.y0, r.x1, r.y0, dev->width, 0);
        add_mark(dev->marks, r.x1, r.y0, r.x1, r.y1, dev->width, 0);
        add_mark(dev->marks, r.x0, r.y1, r.x1, r.y1, dev->width, 0);
        add_mark(dev->marks, r.x0, r.y0, r.x0, r.y1, dev->width, 0);
    }
}

static const fz_path_walker mark_walker = {
    walk_moveto, walk_lineto, walk_curveto, walk_closepath, NULL, NULL, NULL, walk_rectto
};

static void mark_fill_path(fz_context *ctx, fz_device *d, const fz_path *path, int even_odd, fz_matrix ctm,
                           fz_colorspace *cs, const float *color, float alpha, fz_color_params params) {
    (void)even_odd; (void)cs; (void)color; (void)params;
    mark_device *dev = (mark_device *)d;
    if (alpha <= 0) return;
    dev->ctm = ctm; dev->filling = 1; dev->points = 0; dev->path_is_axis_aligned = 1;
    dev->path_box = fz_empty_rect;
    fz_walk_path(ctx, path, &mark_walker, dev);
    // A filled axis-aligned quadrilateral: a thick rule or a cell background.
    if (dev->path_is_axis_aligned && dev->points >= 4 && dev->points <= 6 && !fz_is_empty_rect(dev->path_box))
        add_mark(dev->marks, dev->path_box.x0, dev->path_box.y0, dev->path_box.x1, dev->path_box.y1, 0, 1);
}

static void mark_stroke_path(fz_context *ctx, fz_device *d, const fz_path *path, const fz_stroke_state *stroke,
                             fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha, fz_color_params params) {
    (void)cs; (void)color; (void)params;
    mark_device *dev = (mark_device *)d;
    if (alpha <= 0) return;
    dev->ctm = ctm; dev->filling = 0;
    dev->width = stroke ? stroke->linewidth * fz_matrix_expansion(ctm) : 1;
    fz_walk_path(ctx, path, &mark_walker, dev);
}

static fz_device *new_mark_device(fz_context *ctx, mp_marks *marks) {
    mark_device *dev = (mark_device *)fz_new_device_of_size(ctx, (int)sizeof(mark_device));
    dev->super.fill_path = mark_fill_path;
    dev->super.stroke_path = mark_stroke_path;
    dev->marks = marks;
    return &dev->super;
}

fz_stext_page *mp_page_content(fz_context *ctx, fz_document *doc, int number, int flags, fz_rect *bounds,
                               mp_marks *marks, char *err, int errlen) {
    fz_page *page = NULL;
    fz_stext_page *text = NULL;
    fz_device *device = NULL;
    fz_var(page); fz_var(text); fz_var(device);
    fz_try(ctx) {
        page = fz_load_page(ctx, doc, number);
        *bounds = fz_bound_page(ctx, page);
        fz_stext_options options = { 0 };
        options.flags = flags;
        text = fz_new_stext_page(ctx, *bounds);
        device = fz_new_stext_device(ctx, text, &options);
        fz_run_page(ctx, page, device, fz_identity, NULL);
        fz_close_device(ctx, device);
        fz_drop_device(ctx, device);
        device = NULL;
        if (marks) {
            device = new_mark_device(ctx, marks);
            fz_run_page(ctx, page, device, fz_identity, NULL);
            fz_close_device(ctx, device);
        }
    }
    fz_always(ctx) {
        fz_drop_device(ctx, device);
        fz_drop_page(ctx, page);
    }
    fz_catch(ctx) {
        copy_error(ctx, err, errlen);
        fz_drop_stext_page(ctx, text);
        text = NULL;
    }
    return text;
}

void mp_drop_stext(fz_context *ctx, fz_stext_page *page) { fz_drop_stext_page(ctx, page); }

void mp_free_marks(mp_marks *marks) {
    free(marks->items);
    marks->items = NULL;
    marks->count = marks->capacity = 0;
}

fz_buffer *mp_image_png(fz_context *ctx, fz_image *image, char *err, int errlen) {
    fz_buffer *buffer = NULL;
    fz_try(ctx) buffer = fz_new_buffer_from_image_as_png(ctx, image, fz_default_color_params);
    fz_catch(ctx) { copy_error(ctx, err, errlen); buffer = NULL; }
    return buffer;
}

void mp_drop_buffer(fz_context *ctx, fz_buffer *buffer) { fz_drop_buffer(ctx, buffer); }

size_t mp_buffer_data(fz_context *ctx, fz_buffer *buffer, unsigned char **data) {
    return fz_buffer_storage(ctx, buffer, data);
}

fz_pixmap *mp_render_page(fz_context *ctx, fz_document *doc, int number, float dpi, int gray, char *err, int errlen) {
    fz_pixmap *pixmap = NULL;
    fz_try(ctx) pixmap = fz_new_pixmap_from_page_number(ctx, doc, number, fz_scale(dpi / 72, dpi / 72),
                                                         gray ? fz_device_gray(ctx) : fz_device_rgb(ctx), 0);
    fz_catch(ctx) { copy_error(ctx, err, errlen); pixmap = NULL; }
    return pixmap;
}

void mp_drop_pixmap(fz_context *ctx, fz_pixmap *pixmap) { fz_drop_pixmap(ctx, pixmap); }

// ---- Redaction -------------------------------------------------------------------------------------------

#include <mupdf/pdf.h>

static void drop_key(fz_context *ctx, pdf_obj *dict, pdf_obj *key) {
    if (dict) pdf_dict_del(ctx, dict, key);
}

static void drop_named_key(fz_context *ctx, pdf_obj *dict, const char *key) {
    if (dict) pdf_dict_dels(ctx, dict, key);
}

int mp_redact_pdf(fz_context *ctx, const char *path, const char *out, const int *rect_pages, const float *rects,
                  int count, char *err, int errlen) {
    pdf_document *doc = NULL;
    pdf_page *page = NULL;
    int status = 0;
    fz_var(doc);
    fz_var(page);
    fz_try(ctx) {
        doc = pdf_open_document(ctx, path);
        pdf_obj *root = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Root));
        // Everything outside the page content that can carry text: document info, XMP, bookmarks, named trees
        // (attachments, JavaScript), forms, actions, page-piece data.
        drop_key(ctx, pdf_trailer(ctx, doc), PDF_NAME(Info));
        drop_key(ctx, root, PDF_NAME(Metadata));
        drop_key(ctx, root, PDF_NAME(Outlines));
        drop_key(ctx, root, PDF_NAME(Names));
        drop_key(ctx, root, PDF_NAME(AcroForm));
        drop_named_key(ctx, root, "OpenAction");
        drop_key(ctx, root, PDF_NAME(AA));
        drop_named_key(ctx, root, "PieceInfo");
        drop_named_key(ctx, root, "StructTreeRoot");
        int pages = pdf_count_pages(ctx, doc);
        for (int number = 0; number < pages; number++) {
            pdf_obj *object = pdf_lookup_page_obj(ctx, doc, number);
            // Annotations and form fields go before the page is loaded, so the loaded page has none of them.
            drop_key(ctx, object, PDF_NAME(Annots));
            drop_key(ctx, object, PDF_NAME(Metadata));
            drop_named_key(ctx, object, "PieceInfo");
            drop_named_key(ctx, object, "Thumb");
            drop_key(ctx, object, PDF_NAME(AA));
            int here = 0;
            for (int i = 0; i < count; i++) if (rect_pages[i] == number) here++;
            if (here == 0) continue;
            page = pdf_load_page(ctx, doc, number);
            for (int i = 0; i < count; i++) {
                if (rect_pages[i] != number) continue;
                pdf_annot *annot = pdf_create_annot(ctx, page, PDF_ANNOT_REDACT);
                pdf_set_annot_rect(ctx, annot, fz_make_rect(rects[4 * i], rects[4 * i + 1], rects[4 * i + 2], rects[4 * i + 3]));
                pdf_drop_annot(ctx, annot);
            }
            pdf_redact_options options = { 1, PDF_REDACT_IMAGE_PIXELS };
            pdf_redact_page(ctx, doc, page, &options);
            fz_drop_page(ctx, (fz_page *)page);
            page = NULL;
        }
        pdf_write_options write = pdf_default_write_options;
        write.do_garbage = 3;          // drop the objects redaction replaced, so the old content is not in the file
        write.do_compress = 1;
        write.do_compress_images = 1;
        write.do_compress_fonts = 1;
        pdf_save_document(ctx, doc, out, &write);
    }
    fz_always(ctx) {
        if (page) fz_drop_page(ctx, (fz_page *)page);
        pdf_drop_document(ctx, doc);
    }
    fz_catch(ctx) {
        copy_error(ctx, err, errlen);
        status = -1;
    }
    return status;
}
