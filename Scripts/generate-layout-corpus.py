#!/usr/bin/env python3
"""Development tool: synthetic report PDFs in layouts the shared dev corpus does not show, with ground truth in
the doc-score format, to check that the PDF layout rules generalise.

Layouts varied per document (seeded): three-line, zebra, boxed or unruled tables; right-aligned numbers; tables
continued on the next page with or without a repeated header; run-in headings (主诉：… / CHIEF COMPLAINT: …);
【】 and 1.1 headings; bold same-size headings; two-column narrative; other page-number styles.

Usage (in a virtualenv with reportlab):  generate-layout-corpus.py OUT_DIR [COUNT] [SEED]
Writes OUT_DIR/<id>.pdf and OUT_DIR/<id>.gt.json. Never used by the product or its tests.
"""
import json
import random
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
W, H = A4
M = 56

ZH_LABS = [("白细胞计数(WBC)", "10^9/L", 3.5, 9.5), ("血红蛋白(HGB)", "g/L", 130, 175), ("血小板计数(PLT)", "10^9/L", 125, 350),
           ("总胆红素(TBIL)", "μmol/L", 3.4, 20.5), ("丙氨酸氨基转移酶(ALT)", "U/L", 9, 50), ("肌酐(CREA)", "μmol/L", 57, 111),
           ("尿酸(UA)", "μmol/L", 208, 428), ("葡萄糖(GLU)", "mmol/L", 3.9, 6.1), ("钾(K)", "mmol/L", 3.5, 5.3),
           ("钠(Na)", "mmol/L", 137, 147), ("总胆固醇(TC)", "mmol/L", 2.8, 5.17), ("C反应蛋白(CRP)", "mg/L", 0, 10),
           ("凝血酶原时间(PT)", "s", 9.4, 12.5), ("纤维蛋白原(FIB)", "g/L", 2, 4), ("降钙素原(PCT)", "ng/mL", 0, 0.05),
           ("肌酸激酶(CK)", "U/L", 50, 310), ("淀粉酶(AMY)", "U/L", 35, 135), ("白蛋白(ALB)", "g/L", 40, 55),
           ("血清游离三碘甲状腺原氨酸测定(FT3)", "pmol/L", 3.1, 6.8)]
EN_LABS = [("White blood cells", "10^9/L", 3.5, 9.5), ("Hemoglobin", "g/L", 130, 175), ("Platelets", "10^9/L", 125, 350),
           ("Total bilirubin", "μmol/L", 3.4, 20.5), ("ALT", "U/L", 9, 50), ("Creatinine", "μmol/L", 57, 111),
           ("Glucose", "mmol/L", 3.9, 6.1), ("Potassium", "mmol/L", 3.5, 5.3), ("Sodium", "mmol/L", 137, 147),
           ("C-reactive protein", "mg/L", 0, 10), ("Prothrombin time", "s", 9.4, 12.5), ("Albumin", "g/L", 40, 55),
           ("Activated partial thromboplastin time (APTT)", "s", 25, 36.5)]
ZH_SECTIONS = [("主诉", "chief_complaint", "反复咳嗽、咳痰3周，加重伴发热2天。"),
               ("现病史", "history_of_present_illness", "患者3周前受凉后出现咳嗽，咳白色黏痰，未予重视。2天前出现发热，最高体温38.9℃，伴畏寒，无胸痛、咯血。门诊胸部CT提示右下肺炎症，为进一步诊治收入院。"),
               ("既往史", "past_history", "高血压病史5年，规律服用氨氯地平。否认糖尿病、冠心病史。否认药物过敏史。"),
               ("体格检查", "physical_exam", "T 38.2℃，P 96次/分，R 20次/分，BP 132/80mmHg。神志清，右下肺可闻及湿啰音，心律齐，腹软无压痛。"),
               ("诊疗经过", "other", "入院后予头孢曲松抗感染、化痰及对症支持治疗，第3天体温恢复正常，咳嗽明显减轻。复查血常规正常。"),
               ("出院诊断", "diagnosis", "1. 社区获得性肺炎\n2. 高血压病2级"),
               ("出院医嘱", "discharge_orders", "1. 注意休息，避免受凉。\n2. 继续口服降压药物，监测血压。\n3. 2周后呼吸科门诊复查胸部CT。")]
EN_SECTIONS = [("Chief Complaint", "chief_complaint", "Productive cough for three weeks and fever for two days."),
               ("History of Present Illness", "history_of_present_illness", "The patient developed a cough after a cold three weeks ago. Two days before admission she developed fever up to 38.9 C with chills. Chest CT showed right lower lobe consolidation and she was admitted for treatment."),
               ("Past Medical History", "past_history", "Hypertension for five years treated with amlodipine. No diabetes. No known drug allergies."),
               ("Physical Examination", "physical_exam", "T 38.2 C, HR 96, RR 20, BP 132/80 mmHg. Crackles at the right base. Regular rhythm. Abdomen soft."),
               ("Hospital Course", "other", "She was treated with ceftriaxone and supportive care. The fever resolved on day three and the cough improved."),
               ("Discharge Diagnoses", "diagnosis", "1. Community-acquired pneumonia\n2. Hypertension"),
               ("Discharge Instructions", "discharge_orders", "1. Rest and avoid cold exposure.\n2. Continue antihypertensive medication.\n3. Follow up in the chest clinic in two weeks.")]


class Doc:
    def __init__(self, path, zh, rnd):
        self.c = canvas.Canvas(path, pagesize=A4)
        self.zh, self.rnd = zh, rnd
        self.font = "STSong-Light" if zh else "Helvetica"
        self.bold = "STSong-Light" if zh else "Helvetica-Bold"
        self.y = M
        self.page = 1
        self.md, self.sections, self.tables, self.furniture = [], [], [], []
        self.header = ("某市第二人民医院 病历打印" if zh else "Riverside Medical Center - Confidential")
        self.page_style = rnd.choice(["zh", "en", "dash", "slash"])
        self.pages_total = None

    def text(self, s, x, y, size, font=None):
        self.c.setFont(font or self.font, size)
        self.c.drawString(x, H - y - size, s)

    def width(self, s, size, font=None):
        return pdfmetrics.stringWidth(s, font or self.font, size)

    def furniture_text(self):
        n = self.page
        return {"zh": f"第 {n} 页 共 {{N}} 页", "en": f"Page {n} of {{N}}", "dash": f"- {n} -", "slash": f"{n} / {{N}}"}[self.page_style]

    def end_page(self):
        self.text(self.header, M, 30, 8)
        footer = self.furniture_text().replace("{N}", str(self.pages_total or 0))
        self.text(footer, (W - self.width(footer, 8)) / 2, H - 40, 8)
        self.furniture.append({"page": self.page, "text": self.header})
        self.furniture.append({"page": self.page, "text": footer})
        self.c.showPage()
        self.page += 1
        self.y = M

    def need(self, h):
        if self.y + h > H - 70:
            self.end_page()

    def wrap(self, s, size, width):
        lines, cur = [], ""
        for token in (list(s) if self.zh else s.split(" ")):
            cand = cur + token if self.zh else (cur + " " + token if cur else token)
            if self.width(cand, size) > width and cur:
                lines.append(cur)
                cur = token
            else:
                cur = cand
        if cur:
            lines.append(cur)
        return lines

    def para(self, s, size=10.5, x=M, width=None):
        width = width or W - 2 * M
        for line in self.wrap(s, size, width):
            self.need(size * 1.5)
            self.text(line, x, self.y, size)
            self.y += size * 1.5
        self.y += 4
        self.md.append(s)

    def heading(self, s, canonical, body, style):
        size = 10.5
        if style == "runin":
            label = s + ("：" if self.zh else ": ")
            self.para(label + body.replace("\n", " "))
            self.md[-1] = f"### {s}\n\n{body.replace(chr(10), ' ')}"
            self.sections.append({"heading": s, "canonical": canonical, "text": body})
            return
        # Latin fonts have no 【】: English reports print such headings in capitals instead.
        shown = {"big": s, "bracket": f"【{s}】" if self.zh else s.upper(), "numbered": s, "bold": s}[style]
        self.need(30)
        self.y += 6
        if style == "big":
            self.text(shown, M, self.y, 13)
            self.y += 20
        elif style == "bold":
            self.text(shown, M, self.y, 11.5, self.bold)
            self.y += 17
        else:
            self.text(shown, M, self.y, 12)
            self.y += 18
        self.md.append(f"### {shown}")
        self.sections.append({"heading": shown, "canonical": canonical, "text": body})
        for part in body.split("\n"):
            self.para(part)

    def table(self, header, rows, style, right_numbers, repeat_header):
        widths = [170, 70, 70, 90, 40]
        xs = [M + sum(widths[:i]) for i in range(len(widths))]
        size, rh = 9, 16
        total = sum(widths)
        start_page = self.page
        pages = [self.page]

        def draw_row(cells, bold=False, shade=False):
            # In a ruled grid a long first cell wraps inside its cell (the row grows); elsewhere it may overflow.
            first = self.wrap(cells[0], size, widths[0] - 8) if style == "grid" else [cells[0]]
            height = rh if len(first) == 1 else rh + 11 * (len(first) - 1)
            if len(first) > 1:
                self.text(first[0], xs[0] + 4, self.y + 3.5, size, self.bold if bold else self.font)
                for k, part in enumerate(first[1:], 1):
                    self.text(part, xs[0] + 4, self.y + 3.5 + 11 * k, size, self.bold if bold else self.font)
                cells = [""] + list(cells[1:])
            if shade:
                self.c.setFillGray(0.9)
                self.c.rect(M, H - self.y - rh, total, rh, stroke=0, fill=1)
                self.c.setFillGray(0)
            for i, cell in enumerate(cells):
                if not cell:
                    continue
                f = self.bold if bold else self.font
                x = xs[i] + 4
                if right_numbers and i == 1 and not bold:
                    x = xs[i] + widths[i] - 6 - self.width(cell, size, f)
                self.text(cell, x, self.y + 3.5, size, f)
            if style == "grid":
                self.c.setLineWidth(0.5)
                self.c.line(M, H - self.y, M + total, H - self.y)
                self.c.line(M, H - self.y - height, M + total, H - self.y - height)
                for x in xs + [M + total]:
                    self.c.line(x, H - self.y, x, H - self.y - height)
            self.y += height

        def rule(width=0.8):
            self.c.setLineWidth(width)
            self.c.line(M, H - self.y, M + total, H - self.y)

        self.need(rh * 3)
        if style == "threeline":
            rule(1.2)
        draw_row(header, bold=True, shade=(style == "zebra"))
        if style == "threeline":
            rule()
        for i, row in enumerate(rows):
            if self.y + rh * 2 > H - 70:
                if style == "threeline":
                    rule(1.2)
                self.end_page()
                pages.append(self.page)
                if repeat_header:
                    if style == "threeline":
                        rule(1.2)
                    draw_row(header, bold=True, shade=(style == "zebra"))
                    if style == "threeline":
                        rule()
            draw_row(row, shade=(style == "zebra" and i % 2 == 1))
        if style == "threeline":
            rule(1.2)
        self.y += 8
        self.tables.append({"page": start_page, "pages": pages, "header": header, "rows": rows})
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        self.md.append("\n".join(lines))

    def flowing_table(self, header, rows, repeat_header):
        """A table that fills the left column and flows on into the right column (same baselines)."""
        widths = [95, 38, 42, 50, 0]
        size, rh = 8, 14
        colw = (W - 2 * M - 24) / 2
        half = (len(rows) + 1) // 2
        self.need(rh * (half + 2))
        top = self.y
        for side, part in enumerate([rows[:half], rows[half:]]):
            x0 = M + side * (colw + 24)
            xs = [x0 + sum(widths[:i]) for i in range(5)]
            lines = ([header] if side == 0 or repeat_header else []) + part
            for r, cells in enumerate(lines):
                for i, cell in enumerate(cells):
                    if cell:
                        self.text(cell, xs[i], top + r * rh, size, self.bold if r == 0 and cells is header else self.font)
        self.y = top + (half + 1) * rh + 10
        self.tables.append({"page": self.page, "pages": [self.page], "header": header, "rows": rows})
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        self.md.append("\n".join(lines))

    def two_columns(self, heading, canonical, paragraphs):
        self.need(80)
        self.text(heading, M, self.y + 6, 13)
        self.y += 26
        self.md.append(f"### {heading}")
        colw = (W - 2 * M - 24) / 2
        top = self.y
        lines = [l for p in paragraphs for l in self.wrap(p, 10, colw)]
        half = (len(lines) + 1) // 2
        for i, line in enumerate(lines):
            col, row = divmod(i, half)
            self.text(line, M + col * (colw + 24), top + row * 15, 10)
        self.y = top + half * 15 + 8
        self.md.extend(paragraphs)
        self.sections.append({"heading": heading, "canonical": canonical, "text": "\n".join(paragraphs)})

    def finish(self, path_json, doc_id, title, hospital):
        self.end_page()
        self.c.save()
        n = self.page - 1
        gt = {"id": doc_id, "lang": "zh" if self.zh else "en", "kind": "discharge", "title": title, "num_pages": n,
              "sections": self.sections, "tables": self.tables,
              "markdown": f"# {hospital}\n\n## {title}\n\n" + "\n\n".join(self.md) + "\n",
              "phi": [], "furniture": self.furniture, "features": [], "files": {"pdf": doc_id + ".pdf"}}
        json.dump(gt, open(path_json, "w"), ensure_ascii=False, indent=1)


def build(out, doc_id, seed):
    # Page numbers need the page count: the document is generated twice from the same seed.
    first = layout(out, doc_id, random.Random(seed), None)
    layout(out, doc_id, random.Random(seed), first.page - 1)


def layout(out, doc_id, rnd, pages_total):
    zh = rnd.random() < 0.6
    d = Doc(f"{out}/{doc_id}.pdf", zh, rnd)
    d.pages_total = pages_total
    hospital = "某市第二人民医院" if zh else "Riverside Medical Center"
    title = "出院记录" if zh else "Discharge Summary"
    d.text(hospital, (W - d.width(hospital, 18)) / 2, d.y, 18)
    d.y += 26
    d.text(title, (W - d.width(title, 15)) / 2, d.y, 15)
    d.y += 30
    style = rnd.choice(["big", "bracket", "numbered", "bold", "runin"])
    sections = ZH_SECTIONS if zh else EN_SECTIONS
    labs = ZH_LABS if zh else EN_LABS
    header = ["项目", "结果", "单位", "参考范围", "提示"] if zh else ["Test", "Result", "Units", "Reference Range", "Flag"]
    n_rows = rnd.choice([6, 12, 40])
    rows = []
    for k in range(n_rows):
        name, unit, lo, hi = labs[k % len(labs)]
        v = round(rnd.uniform(lo * 0.7, hi * 1.3 + 0.1), 2)
        flag = ("↑" if zh else "H") if v > hi else (("↓" if zh else "L") if v < lo else "")
        rows.append([name, f"{v:g}", unit, f"{lo:g}-{hi:g}", flag])
    enum_zh = "一二三四五六七八九十"
    for i, (h, canon, body) in enumerate(sections):
        shown = h
        if style == "numbered":
            shown = f"{enum_zh[i]}、{h}" if zh else f"{i + 1}. {h}"
        if i == 4 and rnd.random() < 0.5:
            d.two_columns(shown if style != "runin" else h, canon, [body, body])
            continue
        d.heading(shown, canon, body, style)
        if i == 3:
            lab_heading = "实验室检查" if zh else "Laboratory Data"
            if style == "numbered":
                lab_heading = f"{enum_zh[i]}(续)、{lab_heading}" if zh else f"{i + 1}.1 {lab_heading}"
            d.heading(lab_heading, "lab_results", "", "big" if style == "runin" else style)
            d.md.pop()  # the empty body paragraph
            if rnd.random() < 0.25:
                compact = header if zh else ["Test", "Result", "Units", "Range", "Flag"]
                d.flowing_table(compact, [r for r in rows[:24] if len(r[0]) < 14 and d.width(r[0], 8) < 90], rnd.random() < 0.5)
            else:
                d.table(header, rows, rnd.choice(["grid", "threeline", "zebra", "none"]), rnd.random() < 0.5, rnd.random() < 0.5)
    d.finish(f"{out}/{doc_id}.gt.json", doc_id, title, hospital)
    return d


if __name__ == "__main__":
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    for i in range(count):
        build(out, f"g{i + 1:03d}", seed * 1000 + i)
