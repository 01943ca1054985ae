from renda.deputies.names import pinyin_key, stroke_key, stroke_sequence


def test_stroke_order_follows_count_then_first_strokes():
    names = ["王小明", "丁一", "马力", "于洋", "万里", "欧阳明", "王大明"]
    # 丁 2 strokes; 于 万 马 3 strokes, told apart by the stroke order 横横竖 / 横折撇 / 折折横.
    assert sorted(names, key=stroke_key) == [
        "丁一",
        "于洋",
        "万里",
        "马力",
        "王大明",
        "王小明",
        "欧阳明",
    ]


def test_stroke_sequence_data():
    assert stroke_sequence("王") == "1121"
    assert stroke_sequence("丁") == "12"


def test_unknown_characters_sort_last():
    assert stroke_key("A先生") > stroke_key("龘")


def test_surname_readings():
    assert pinyin_key("单雄信") == "shan xiong xin"
    assert pinyin_key("曾国藩").startswith("zeng")
    assert pinyin_key("") == ""
