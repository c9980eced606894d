/// Chinese surnames and given-name characters, used to find names by structure: a surname,
/// then one or two given-name characters, bounded by a label, a title or punctuation.
enum ChineseNames {
    /// Single-character surnames (the Hundred Family Surnames plus common modern ones).
    static let singleSurnames: ScalarSet = ScalarSet(scalarsOf: "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦卢麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由洪孙汝钭郦殳晏涂滑荀羿习麦邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公万俟司马上官欧阳夏侯诸葛闻人东方赫连皇甫尉迟公羊澹台公冶宗政濮阳淳于单于太叔申屠公孙仲孙轩辕令狐钟离宇文长孙慕容鲜于闾丘司徒司空亓官司寇仉督子车颛孙端木巫马公西漆雕乐正壤驷公良拓跋夹谷宰父谷梁晋楚闫法汝鄢涂钦段干百里东郭南门呼延归海羊舌微生岳帅缑亢况郈有琴梁丘左丘东门西门商牟佘佴伯赏南宫墨哈谯笪年爱阳佟第五言福苌綦仉郗酆訾蒯亓竺昝厍殳逄郏隗邗禚郇滕芮")

    /// Two-character surnames.
    static let compoundSurnames: Set<String> = [
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
        "令狐", "钟离", "闾丘", "端木", "独孤", "南宫", "百里", "东郭", "西门", "呼延", "万俟", "澹台", "公冶", "太史",
        "申屠", "赫连", "司空", "第五", "左丘", "拓跋", "梁丘", "鲜于", "淳于", "单于", "濮阳", "宗政", "闻人", "公羊",
    ]

    /// Surnames that are also everyday function words; free text needs more evidence for them.
    static let ambiguousSurnames: ScalarSet = ScalarSet(scalarsOf: "于由和来成时明平国都那但信展相初门云容敬应全同向从经因自在将把被对给为是有无之其以及与或且而乃即且既也还又再更最很太好多少大小上下前后左右中内外东西南北")

    /// Characters common in given names (used to decide a name's length in running text).
    static let givenNameCharacters: ScalarSet = ScalarSet(scalarsOf: "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲建国鹏辉浩宇博文斌婷雪梅琳颖飞丹亮波峰宁欣怡佳慧莉晶倩琴云燕凤芬淑珍荣鑫龙健林凯帅阳晨旭东海成志家俊瑞昊天翔宏晓楠瑶蕾璐露薇蓉菲莹玥琪琦璇晗涵萱彤悦诗梦思雨婕嘉清洁欢乐康安顺福寿禄喜春夏秋冬光晖曦彬彪豪毅坚威武雄泽润源淼森松柏桐杨柳荷莲菊芝芸芹苗蕊花香珠宝金银铁钢锋剑锐德仁义礼智信忠孝廉勤俭恭良诚正直善美真学敬永长远兴旺发达富贵昌隆泰祥吉庆彩虹月星辰江河湖涛浪潮泉溪川山岭岩石垚品众兵卫民生庆新立根友财有才全保水力胜利伦彦峻嵩鸿鹤燕莺娇媛妍姝婉娴婧妮姗嫣岚巧青琼珊瑾瑜琰珂珏琛璋黎雯霜蓓茜莎萌琬冰沁汐惠茹寅丞承晋铭锦钰铮骏驰腾跃翼凌霄宸轩逸昕昱晟煜炜烨熙灿烁墨书韵音笑歆颜容仪坤帆楠阳颖欣磊超刚健凤霞萍桂荣秀玲丽敏静婷娟红芳燕艳军伟强勇杰涛斌浩鹏辉华明亮平波峰宇飞鑫龙俊凯帅旭晨洋东林宁欣怡佳慧莉晶倩琴云梅雪兰英秀珍淑芬玉桂香凤莲娥翠琼冬春秋菊巧丹彤瑶璐露薇蓉菲莹琪琦璇晗涵萱悦诗梦思雨婕嘉琳清洁毅坤楠帆璇瑾瑜霖沛澜溪浚泓淳涵潇澄湘沅皓晔晗曜昭晶亭婵娅娓婕娉嫚媚姣妤姿媚婀娣嫒嫔婷蕙芷芮苒茵荔莎菁萍蓝薇蔓蕴藤兆兴宏弘洪鸣鸥鸾鹃凰麟骥骐骁彰韬略谋猛威武彬衡权舟航帆楫桥栋梁材杉桦榕樱梓楷模范典雅致远志达通广博厚德载物和谐美满圆融会贯通恒久安泰康宁宜萱瑄珺璟琬瑗璞瑛瑶珍珊珠琦璐玲瑞琪")

    /// Characters that never belong to a name: punctuation, function words and gender.
    static let nonNameCharacters = ScalarSet(scalarsOf: "，,。：:、；;（()）的了在于因及和与是为被将对等之男女患属诉")

    /// Words that usually follow a name in running text (`张婷联系电话`, `王峰主任`, `张三行冠脉造影`).
    static let followerWords: Set<UInt64> = Set([
        "联系", "电话", "手机", "主任", "主治", "医师", "医生", "护士", "教授", "先生", "女士", "同志", "老师", "陪同",
        "代诉", "自诉", "自述", "已经", "今日", "来院", "到院", "入院", "出院", "就诊", "复诊", "现在", "曾经", "既往",
        "无明", "有无", "经过", "行冠", "行P", "行C", "行手", "行胃", "等人", "是否", "为主", "签字", "签名", "同意",
        "系统", "之子", "之女", "家属", "病人", "已于", "目前", "现年", "年龄", "性别", "住院", "门诊", "科室", "床号",
        "查房", "诊断", "治疗", "术后", "要求", "自行", "反复", "一般", "一直", "一周", "一月", "一年", "一天", "卡号",
        "账号", "银行", "医保", "社保", "身份", "护照", "车牌", "邮箱", "地址", "住址",
    ].map { word -> UInt64 in
        let v = Array(word.unicodeScalars.map { $0.value })
        return UInt64(v[0]) << 32 | UInt64(v[1])
    })

    /// Whether position `i` starts text that follows a name rather than continuing it.
    @inline(__always) static func startsFollower(_ t: ScanText, at i: Int) -> Bool {
        if nonNameCharacters.contains(t[i]) { return true }
        // OCR may split the word with a stray space (`主 任`).
        let next = CharClass.isSpace(t[i + 1]) ? t[i + 2] : t[i + 1]
        return followerWords.contains(UInt64(t[i]) << 32 | UInt64(next))
    }

    /// Two-character words that read like surname + given name but are everyday words (`银行`).
    static let commonWords: Set<UInt64> = Set(["银行", "本人", "自己", "病情", "生命", "体温", "血压", "心率", "家中", "平素",
                                                "同时", "明显", "高血", "全身", "周身", "双侧", "左侧", "右侧", "常规", "经济"].map { word -> UInt64 in
        let v = Array(word.unicodeScalars.map { $0.value })
        return UInt64(v[0]) << 32 | UInt64(v[1])
    })

    /// Titles that follow a name: `王峰主任`, `冶秀珍主治医师`, `Dr.` has its English counterpart.
    static let titles: [[UInt32]] = [
        "主任医师", "副主任医师", "主治医师", "住院医师", "医师", "医生", "主任", "副主任", "护士长", "护士", "教授",
        "副教授", "院长", "科长", "先生", "女士", "大夫", "药师", "技师", "老师",
    ].map { [UInt32](literal: $0) }

    private static let compoundPairs: Set<UInt64> = Set(compoundSurnames.map { name in
        let v = Array(name.unicodeScalars.map { $0.value })
        return UInt64(v[0]) << 32 | UInt64(v[1])
    })

    /// The length (1 or 2) of the surname starting at `i`, or nil.
    static func surnameLength(_ text: ScanText, at i: Int) -> Int? {
        if compoundPairs.contains(UInt64(text[i]) << 32 | UInt64(text[i + 1])) { return 2 }
        return singleSurnames.contains(text[i]) ? 1 : nil
    }
}
