/// Small vocabularies for realistic surrogates. Surrogates need plausibility, not coverage.
enum SurrogateVocabulary {
    static let chineseSurnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let chineseGiven = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华玉萍红玲鹏辉浩宇博文斌婷雪梅琳颖飞丹亮波峰宁欣怡佳慧莉晶倩琴云燕凤芬珍荣鑫龙健林凯帅阳晨旭东海成志家俊瑞昊天翔宏晓楠瑶蕾璐薇蓉菲莹琪琦璇晗涵萱彤悦思雨婕嘉清康安顺福春秋光彬豪毅坚威泽润源森松柏桐荷莲菊芝芸苗蕊香珠锋锐德仁义信忠诚正善真学敬永远兴达富昌泰祥吉庆彩虹星辰江河涛泉川山岩石")
    static let englishGiven = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William",
        "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa",
        "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra", "Donald", "Margaret", "Steven", "Ashley", "Paul",
        "Kimberly", "Andrew", "Emily", "Joshua", "Donna", "Kenneth", "Michelle", "Kevin", "Carol", "Brian", "Amanda",
        "George", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie", "Edward", "Rebecca", "Jason", "Sharon",
        "Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob", "Dorothy", "Gary", "Amy", "Nicholas", "Kathleen", "Eric",
        "Angela", "Jonathan", "Shirley", "Stephen", "Emma", "Larry", "Brenda", "Justin", "Pamela", "Scott", "Nicole",
        "Brandon", "Anna", "Benjamin", "Samantha", "Samuel", "Katherine", "Gregory", "Christine", "Alexander",
        "Debra", "Patrick", "Rachel", "Frank", "Carolyn", "Raymond", "Janet", "Jack", "Maria", "Dennis", "Olivia",
        "Jerry", "Heather", "Tyler", "Helen", "Aaron", "Catherine", "Jose", "Diane", "Adam", "Julie", "Nathan",
        "Victoria", "Henry", "Joyce", "Zachary", "Lauren", "Douglas", "Kelly", "Peter", "Christina", "Kyle", "Ruth",
        "Noah", "Joan", "Ethan", "Virginia", "Jeremy", "Judith", "Walter", "Evelyn", "Christian", "Hannah", "Keith",
        "Andrea", "Roger", "Megan", "Terry", "Cheryl", "Austin", "Jacqueline", "Sean", "Madison", "Gerald", "Teresa",
    ]
    static let englishFamily = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
        "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson",
        "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner",
        "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook",
        "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos",
        "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza",
        "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster",
        "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson",
        "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton",
        "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
    ]
    static let chineseCities = ["长沙市", "株洲市", "武汉市", "郑州市", "成都市", "昆明市", "南宁市", "贵阳市", "合肥市", "南昌市", "福州市", "济南市", "太原市", "西安市", "兰州市", "沈阳市"]
    static let chineseDistricts = ["东城区", "西城区", "新华区", "城关区", "高新区", "开发区", "滨湖区", "长安区", "和平区", "建设区"]
    static let chineseRoadSyllables = Array("建设人民解放中山胜利和平光明新华文化幸福团结友谊朝阳青年健康育才振兴")
    static let chineseCommunities = ["阳光小区", "幸福家园", "锦华苑", "翠园新村", "东方花园", "金色港湾"]
    static let streetSuffixes = ["Street", "Avenue", "Road", "Lane", "Drive", "Court", "Place", "Way"]
    static let cities = ["Springfield", "Riverton", "Fairview", "Greenville", "Madison", "Georgetown", "Clinton", "Salem", "Franklin", "Bristol"]
    static let states = ["AL", "CO", "IA", "KS", "KY", "NE", "NV", "OK", "SC", "UT", "WI", "WV"]
    static let residentRegions = ["110101", "310104", "420106", "430104", "440106", "510107", "330106", "320102", "370102", "610113", "500103", "410105"]
    static let plateProvinces = Array("京津沪渝冀豫云辽黑湘皖鲁苏浙赣鄂桂甘晋陕吉闽贵粤川")
}
