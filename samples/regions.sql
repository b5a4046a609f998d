-- The regions the sample files use: 江苏省 苏州市 姑苏区 (320508) with two townships and
-- three villages. The township and village codes and names are made up for the samples.
-- Load with: psql "$DATABASE_URL" -f samples/regions.sql (after charity-match migrate).
INSERT INTO regions (code, name, level, parent_code, centroid_lat, centroid_lon) VALUES
    ('320000000000', '江苏省', 1, NULL, 32.0617, 118.7778),
    ('320500000000', '苏州市', 2, '320000000000', 31.2990, 120.5853),
    ('320508000000', '姑苏区', 3, '320500000000', 31.3110, 120.6170),
    ('320508001000', '示例平江街道', 4, '320508000000', 31.3220, 120.6300),
    ('320508002000', '示例南门街道', 4, '320508000000', 31.2960, 120.6200),
    ('320508001001', '示例拙政社区', 5, '320508001000', 31.3240, 120.6300),
    ('320508001002', '示例园林社区', 5, '320508001000', 31.3190, 120.6330),
    ('320508002001', '示例南门社区', 5, '320508002000', 31.2950, 120.6190)
ON CONFLICT (code) DO NOTHING;
