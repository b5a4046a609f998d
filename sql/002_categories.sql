-- Seed the two-level aid taxonomy (categories).
-- Level 1 = the three kinds; level 2 = '<kind>.<name>' under them. Codes are
-- stable ASCII identifiers that the API and the Swift code use; names are for
-- display. Units are ASCII unit codes:
--   portion 份, set 套, piece 件/台, box 盒, yuan 元, hour 小时, session 次.
-- Services follow 民发〔2017〕153号 and 民发〔2023〕46号 (照料护理, 康复训练, 送医陪护,
-- 社会融入, 能力提升, 心理疏导, 资源链接).

INSERT INTO categories (code, level, kind, name_zh, name_en, default_unit, sort_order) VALUES
    ('material', 1, 'material', '物资', 'Material aid', NULL, 1),
    ('money',    1, 'money',    '资金', 'Financial aid', 'yuan', 2),
    ('service',  1, 'service',  '服务', 'Services', NULL, 3);

INSERT INTO categories (code, level, kind, parent_id, name_zh, name_en, default_unit, sort_order)
SELECT v.code, 2, p.kind, p.id, v.name_zh, v.name_en, v.unit, v.sort_order
  FROM (VALUES
    ('material.grain_oil',          '粮油',     'Grain and oil',             'portion', 1),
    ('material.clothing_bedding',   '衣被',     'Clothing and bedding',      'set',     2),
    ('material.heating',            '取暖',     'Heating supplies',          'portion', 3),
    ('material.appliances',         '家电',     'Household appliances',      'piece',   4),
    ('material.school_supplies',    '学习用品', 'School supplies',           'set',     5),
    ('material.food',               '食品',     'Food',                      'portion', 6),
    ('material.medicines',          '药品',     'Medicines',                 'box',     7),
    ('material.mobility_aids',      '助行辅具', 'Mobility aids',             'piece',   8),
    ('money.medical',               '医疗费用', 'Medical costs',             'yuan',    1),
    ('money.education',             '助学',     'Education grants',          'yuan',    2),
    ('money.temporary_living',      '临时生活', 'Temporary living costs',    'yuan',    3),
    ('money.housing_repair',        '住房修缮', 'Housing repair',            'yuan',    4),
    ('money.heating',               '取暖费',   'Heating costs',             'yuan',    5),
    ('service.care',                '照料护理', 'Care',                      'hour',    1),
    ('service.rehabilitation',      '康复训练', 'Rehabilitation',            'session', 2),
    ('service.hospital_escort',     '送医陪护', 'Hospital escort',           'session', 3),
    ('service.social_integration',  '社会融入', 'Social integration',        'session', 4),
    ('service.capacity_building',   '能力提升', 'Capacity building',         'session', 5),
    ('service.counselling',         '心理疏导', 'Psychological counselling', 'session', 6),
    ('service.resource_linkage',    '资源链接', 'Resource linkage',          'session', 7)
  ) AS v (code, name_zh, name_en, unit, sort_order)
  JOIN categories AS p ON p.code = split_part(v.code, '.', 1) AND p.level = 1
 ORDER BY p.sort_order, v.sort_order;
