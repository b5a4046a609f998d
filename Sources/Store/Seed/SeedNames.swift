import Matching

/// Plausible Chinese names for synthetic places, people and organisations. Nothing here
/// names a real person; the syllables are common enough that any combination looks ordinary.
enum SeedNames {
    private static let placeSyllables = Array(
        "东西南北安平宁和兴隆丰盛清河桥湖山溪林泉石田家庄集营新华光明阳春秋长永福寿康乐昌顺德仁义礼信金银玉龙凤")
    private static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
    private static let givenCharacters = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉兰红梅志国建文德")
    private static let provinces: [String: String] = [
        "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省",
        "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
        "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省",
        "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省",
        "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
        "65": "新疆维吾尔自治区",
    ]
    private static let charityThemes = ["爱心", "阳光", "春晖", "善行", "同心", "暖流", "助残", "敬老", "扶贫", "明德"]

    static func province(_ code: String) -> String { provinces[code] ?? "第\(code)省" }

    /// The real names of the few prefectures and county-level regions the demo and the samples
    /// use, so that a code reads as the place it is (320508 is 苏州市姑苏区).
    private static let knownPlaces: [String: String] = ["3205": "苏州市", "320508": "姑苏区"]

    /// The real name of the place `code` (4 or 6 digits) when it is a known one.
    static func knownPlace(_ code: String) -> String? { knownPlaces[code] }

    static func placeName(_ random: inout SplitMix64) -> String {
        String(placeSyllables[random.int(in: 0...placeSyllables.count - 1)])
            + String(placeSyllables[random.int(in: 0...placeSyllables.count - 1)])
    }

    static func personName(_ random: inout SplitMix64) -> String {
        var name = String(surnames[random.int(in: 0...surnames.count - 1)])
        for _ in 0..<random.int(in: 1...2) {
            name.append(givenCharacters[random.int(in: 0...givenCharacters.count - 1)])
        }
        return name
    }

    /// An organisation name that says its kind, as registered names do.
    static func charityName(county: String, kind: String, index: Int, _ random: inout SplitMix64) -> String {
        let theme = charityThemes[random.int(in: 0...charityThemes.count - 1)]
        let suffix =
            switch kind {
            case "foundation": "慈善基金会"
            case "social_group": "志愿者协会"
            case "social_service_agency": "社会工作服务中心"
            case "enterprise": "公益事业部"
            default: "互助会"
            }
        return "\(county)\(theme)\(suffix)（\(index + 1)）"
    }
}
