#!/usr/bin/env python3
"""Make a robustness corpus from a labelled PHI corpus: every PERSON, HOSPITAL and ADDRESS value
is replaced by a new one from generators and name lists the detector has never seen (other Faker
locales, random surname + given-name characters, hospital and road names built from random
characters), offsets are recomputed, and the result is a new gold corpus.

Development tool only (benchmarks/tuning), never used by the product:

    python3 -m venv .deps/bench-venv && .deps/bench-venv/bin/pip install faker
    .deps/bench-venv/bin/python Scripts/perturb-phi-corpus.py ../shared/corpora/phi-dev/dev.jsonl out.jsonl --seed 7
"""
import argparse, json, random, re, sys

from faker import Faker

RARE_SURNAMES = list("蒯訾冼亓綦仉竺晏昝苌檀濮酆郗牟扈澹笪蔺祁邝靳戚鄢闵詹龚郦")
COMMON_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "慕容", "皇甫", "令狐", "长孙"]
GIVEN = list("子涵梓萱一诺浩然宇轩欣怡紫涵梦琪思远嘉怡俊熙雨桐博文语嫣若曦天佑晨阳沐辰可馨书瑶昊天奕辰锦程钰彤海川景行晓东雅琴凤英桂兰秀梅建业卫东春生秋菊冬青振华国栋立新红旗")
MINORITY = ["阿依古丽·买买提", "热依拉·吐尔逊", "古丽米拉·艾力", "扎西·顿珠", "买买提·艾则孜"]
ROAD_CHARS = list("金桂银杏梧桐紫荆凤凰翠竹青松白云玉泉清溪明珠锦绣东风西湖南山北辰")
ROAD_SUFFIX = ["路", "街", "大道", "巷", "大街", "中路", "东路"]
COMMUNITY = ["花苑", "名邸", "雅居", "新城", "公馆", "嘉园", "水岸", "壹号院"]
PLACES = [("湖北省", "宜昌市", "西陵区"), ("江西省", "赣州市", "章贡区"), ("山西省", "大同市", "平城区"), ("福建省", "泉州市", "丰泽区"),
          ("甘肃省", "天水市", "秦州区"), ("广西壮族自治区", "柳州市", "城中区"), ("黑龙江省", "齐齐哈尔市", "龙沙区"), ("浙江省", "温州市", "鹿城区")]
HOSPITAL_CN = ["{c}中心医院", "{r}医院", "{c}第{n}人民医院", "{u}大学第{n}附属医院", "{c}{d}妇幼保健院", "{d}{t}镇卫生院",
               "{c}口腔医院", "{r}{x}医院", "{c}{d}社区卫生服务中心", "{c}传染病医院"]
HOSPITAL_EN = ["{last} Regional Hospital", "Saint {first} Hospital", "{city} General Hospital", "{last} Health Clinic",
               "{city} Children's Hospital", "{last} University Medical Center", "Good Samaritan Hospital of {city}",
               "{last}-{last2} Medical Center", "{city} Community Hospital"]


def chinese_name(r):
    p = r.random()
    if p < 0.06:
        return r.choice(MINORITY)
    surname = r.choice(COMPOUND) if p < 0.12 else (r.choice(RARE_SURNAMES) if p < 0.35 else r.choice(COMMON_SURNAMES))
    return surname + "".join(r.choice(GIVEN) for _ in range(r.choice([1, 2, 2])))


def english_name(r, fakers, original):
    tokens = original.split()
    f = r.choice(fakers)
    for _ in range(20):
        name = f.first_name() + " " + f.last_name()
        if all(ord(c) < 0x250 for c in name):
            break
    if len(tokens) == 1:
        return name.split()[-1]
    if len(tokens) >= 3 and re.match(r"^[A-Z]\.$", tokens[1]):
        first, last = name.split(" ", 1)
        return f"{first} {chr(65 + r.randrange(26))}. {last}"
    if original.split()[0].isupper():  # pinyin style "HUANG Min"
        return name.split()[-1].upper() + " " + name.split()[0]
    return name


def chinese_address(r, original):
    prov, city, dist = r.choice(PLACES)
    road = "".join(r.choice(ROAD_CHARS) for _ in range(2)) + r.choice(ROAD_SUFFIX)
    if "号" not in original:
        return (prov if original.startswith(("省", "湖", "河", "广", "江", "浙", "四", "陕", "云", "辽", "山")) else "") + city + dist
    tail = f"{r.randint(1, 999)}号"
    if "室" in original or "栋" in original:
        tail += r.choice(COMMUNITY) + f"{r.randint(1, 30)}栋{r.randint(1, 6)}单元{r.randint(1, 33)}0{r.randint(1, 4)}室"
    return (prov if r.random() < 0.5 else "") + city + dist + road + tail


def english_address(r, f, original):
    if re.match(r"^\d", original):
        return f.street_address() + ", " + f.city() + ", " + f.state_abbr() + " " + f.postcode()
    return f.city() + ", " + (f.state_abbr() if re.search(r", [A-Z]{2}$", original) else f.state())


def hospital(r, original, f):
    if re.search(r"[\u4e00-\u9fff]", original):
        prov, city, dist = r.choice(PLACES)
        return r.choice(HOSPITAL_CN).format(c=city, d=dist, n="一二三四五六"[r.randrange(6)], u=r.choice(["华东", "西南", "东北", "中原"]),
                                            r="".join(r.choice(ROAD_CHARS) for _ in range(2)), x=r.choice(["仁爱", "博爱", "康复"]),
                                            t="".join(r.choice(ROAD_CHARS) for _ in range(2)))
    return r.choice(HOSPITAL_EN).format(last=f.last_name(), last2=f.last_name(), first=f.first_name(), city=f.city())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    r = random.Random(args.seed)
    fakers = [Faker(l) for l in ["en_GB", "en_IN", "es_MX", "en_IE", "en_CA", "en_AU", "fr_FR", "it_IT"]]
    for i, f in enumerate(fakers):
        f.seed_instance(args.seed + i)
    us = Faker("en_US")
    us.seed_instance(args.seed + 99)
    with open(args.gold, encoding="utf-8") as fin, open(args.out, "w", encoding="utf-8") as fout:
        for line in fin:
            doc = json.loads(line)
            text, mapping = doc["text"], {}
            for e in doc["entities"]:
                if e["type"] not in ("PERSON", "HOSPITAL", "ADDRESS"):
                    continue
                key = (e["type"], e["text"])
                if key in mapping:
                    continue
                v = e["text"]
                if e["type"] == "PERSON":
                    mapping[key] = chinese_name(r) if re.search(r"[\u4e00-\u9fff]", v) else english_name(r, fakers, v)
                elif e["type"] == "HOSPITAL":
                    mapping[key] = hospital(r, v, us)
                else:
                    mapping[key] = chinese_address(r, v) if re.search(r"[\u4e00-\u9fff]", v) else english_address(r, us, v)
            out, entities, cursor, shift = [], [], 0, 0
            for e in sorted(doc["entities"], key=lambda e: e["start"]):
                new = mapping.get((e["type"], e["text"]), e["text"])
                out.append(text[cursor:e["start"]])
                start = e["start"] + shift
                out.append(new)
                entities.append({"start": start, "end": start + len(new), "type": e["type"], "text": new})
                shift += len(new) - (e["end"] - e["start"])
                cursor = e["end"]
            out.append(text[cursor:])
            doc["text"], doc["entities"] = "".join(out), entities
            for e in entities:
                assert doc["text"][e["start"]:e["end"]] == e["text"]
            fout.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
