-- ezz sample data: 浙江省 (330000), a realistic province for demos and tests.
--
-- What it holds (all of it fictitious where it is not public record):
--   * ezz.region       浙江省, its 11 prefecture-level cities and all 90 county-level
--                      divisions (GB/T 2260, current after the 2021 杭州 redistricting);
--   * ezz.department   the management department 浙江省大数据发展管理局, provincial
--                      industry authorities, city and district issuers, using
--                      departments, and two bureaus abolished in the 2021 机构改革
--                      (江干区、下城区市场监督管理局) with their successors;
--                      unified social credit codes are made up but carry correct
--                      GB 32100 check characters (and GB 11714 organisation-code check
--                      characters);
--   * ezz.service_item 政务服务事项 (codes ZJ-<部门>-nnnn);
--   * ezz.licence_type 证照目录: common licence types with their legal basis 设定依据,
--                      face schema 照面 and a face sample; type codes are the
--                      authority's code + a 3-digit number;
--   * ezz.type_service_item 关联事项 of each type;
--   * ezz.issuance_list 发证清单 (with ezz.issuance_item) and ezz.usage_list 用证清单 (from 2025-01-01; two
--                      usage entries expired on 2025-06-30).
-- Sample identity numbers are valid GB 11643 numbers invented for the samples;
-- names, addresses and companies are invented (示例).
--
-- Load as a superuser after CREATE EXTENSION ezz (the working-day calendar is a
-- separate file, sample/calendar.sql):
--   psql -v ON_ERROR_STOP=1 -f sample/province.sql
-- Deterministic: no random values; only timestamp columns take their defaults.

BEGIN;

------------------------------------------------------------------------------
-- 行政区划 (GB/T 2260)
------------------------------------------------------------------------------
INSERT INTO ezz.region (code, name, level, parent) VALUES
	('330000', '浙江省', 'province', NULL),
	('330100', '杭州市', 'city', '330000'),
	('330200', '宁波市', 'city', '330000'),
	('330300', '温州市', 'city', '330000'),
	('330400', '嘉兴市', 'city', '330000'),
	('330500', '湖州市', 'city', '330000'),
	('330600', '绍兴市', 'city', '330000'),
	('330700', '金华市', 'city', '330000'),
	('330800', '衢州市', 'city', '330000'),
	('330900', '舟山市', 'city', '330000'),
	('331000', '台州市', 'city', '330000'),
	('331100', '丽水市', 'city', '330000');

INSERT INTO ezz.region (code, name, level, parent) VALUES
	('330102', '上城区', 'county', '330100'),
	('330105', '拱墅区', 'county', '330100'),
	('330106', '西湖区', 'county', '330100'),
	('330108', '滨江区', 'county', '330100'),
	('330109', '萧山区', 'county', '330100'),
	('330110', '余杭区', 'county', '330100'),
	('330111', '富阳区', 'county', '330100'),
	('330112', '临安区', 'county', '330100'),
	('330113', '临平区', 'county', '330100'),
	('330114', '钱塘区', 'county', '330100'),
	('330122', '桐庐县', 'county', '330100'),
	('330127', '淳安县', 'county', '330100'),
	('330182', '建德市', 'county', '330100'),
	('330203', '海曙区', 'county', '330200'),
	('330205', '江北区', 'county', '330200'),
	('330206', '北仑区', 'county', '330200'),
	('330211', '镇海区', 'county', '330200'),
	('330212', '鄞州区', 'county', '330200'),
	('330213', '奉化区', 'county', '330200'),
	('330225', '象山县', 'county', '330200'),
	('330226', '宁海县', 'county', '330200'),
	('330281', '余姚市', 'county', '330200'),
	('330282', '慈溪市', 'county', '330200'),
	('330302', '鹿城区', 'county', '330300'),
	('330303', '龙湾区', 'county', '330300'),
	('330304', '瓯海区', 'county', '330300'),
	('330305', '洞头区', 'county', '330300'),
	('330324', '永嘉县', 'county', '330300'),
	('330326', '平阳县', 'county', '330300'),
	('330327', '苍南县', 'county', '330300'),
	('330328', '文成县', 'county', '330300'),
	('330329', '泰顺县', 'county', '330300'),
	('330381', '瑞安市', 'county', '330300'),
	('330382', '乐清市', 'county', '330300'),
	('330383', '龙港市', 'county', '330300'),
	('330402', '南湖区', 'county', '330400'),
	('330411', '秀洲区', 'county', '330400'),
	('330421', '嘉善县', 'county', '330400'),
	('330424', '海盐县', 'county', '330400'),
	('330481', '海宁市', 'county', '330400'),
	('330482', '平湖市', 'county', '330400'),
	('330483', '桐乡市', 'county', '330400'),
	('330502', '吴兴区', 'county', '330500'),
	('330503', '南浔区', 'county', '330500'),
	('330521', '德清县', 'county', '330500'),
	('330522', '长兴县', 'county', '330500'),
	('330523', '安吉县', 'county', '330500'),
	('330602', '越城区', 'county', '330600'),
	('330603', '柯桥区', 'county', '330600'),
	('330604', '上虞区', 'county', '330600'),
	('330624', '新昌县', 'county', '330600'),
	('330681', '诸暨市', 'county', '330600'),
	('330683', '嵊州市', 'county', '330600'),
	('330702', '婺城区', 'county', '330700'),
	('330703', '金东区', 'county', '330700'),
	('330723', '武义县', 'county', '330700'),
	('330726', '浦江县', 'county', '330700'),
	('330727', '磐安县', 'county', '330700'),
	('330781', '兰溪市', 'county', '330700'),
	('330782', '义乌市', 'county', '330700'),
	('330783', '东阳市', 'county', '330700'),
	('330784', '永康市', 'county', '330700'),
	('330802', '柯城区', 'county', '330800'),
	('330803', '衢江区', 'county', '330800'),
	('330822', '常山县', 'county', '330800'),
	('330824', '开化县', 'county', '330800'),
	('330825', '龙游县', 'county', '330800'),
	('330881', '江山市', 'county', '330800'),
	('330902', '定海区', 'county', '330900'),
	('330903', '普陀区', 'county', '330900'),
	('330921', '岱山县', 'county', '330900'),
	('330922', '嵊泗县', 'county', '330900'),
	('331002', '椒江区', 'county', '331000'),
	('331003', '黄岩区', 'county', '331000'),
	('331004', '路桥区', 'county', '331000'),
	('331022', '三门县', 'county', '331000'),
	('331023', '天台县', 'county', '331000'),
	('331024', '仙居县', 'county', '331000'),
	('331081', '温岭市', 'county', '331000'),
	('331082', '临海市', 'county', '331000'),
	('331083', '玉环市', 'county', '331000'),
	('331102', '莲都区', 'county', '331100'),
	('331121', '青田县', 'county', '331100'),
	('331122', '缙云县', 'county', '331100'),
	('331123', '遂昌县', 'county', '331100'),
	('331124', '松阳县', 'county', '331100'),
	('331125', '云和县', 'county', '331100'),
	('331126', '庆元县', 'county', '331100'),
	('331127', '景宁畲族自治县', 'county', '331100'),
	('331181', '龙泉市', 'county', '331100');

------------------------------------------------------------------------------
-- 部门: kinds management 管理部门, authority 行业主管部门, issuer 签发部门, user 使用部门
-- (统一社会信用代码: 11 机关, 12 事业单位, 13 群团组织, then the region code)
------------------------------------------------------------------------------
INSERT INTO ezz.department (uscc, name, region, kinds) VALUES
	('11330000MB1946A028', '浙江省大数据发展管理局', '330000', '{management}'),
	('11330000002481602G', '浙江省市场监督管理局', '330000', '{authority,issuer}'),
	('11330000002481127M', '浙江省住房和城乡建设厅', '330000', '{authority,issuer}'),
	('11330000002481311D', '浙江省自然资源厅', '330000', '{authority}'),
	('11330000002481477U', '浙江省卫生健康委员会', '330000', '{authority,issuer}'),
	('113300000024808377', '浙江省民政厅', '330000', '{authority,issuer}'),
	('113300000024812079', '浙江省交通运输厅', '330000', '{authority}'),
	('11330000002480757K', '浙江省公安厅', '330000', '{authority}'),
	('113300000024810472', '浙江省人力资源和社会保障厅', '330000', '{authority,issuer}'),
	('11330000002480597C', '浙江省教育厅', '330000', '{authority}'),
	('113300000024813978', '浙江省生态环境厅', '330000', '{authority}'),
	('11330000002480917T', '浙江省司法厅', '330000', '{authority,issuer}'),
	('11330000MB1957E06A', '浙江省药品监督管理局', '330000', '{authority,issuer}'),
	('113300004700053754', '浙江省烟草专卖局', '330000', '{authority}'),
	('11330000002480327R', '浙江省新闻出版局', '330000', '{authority,issuer}'),
	('13330000470002975A', '浙江省残疾人联合会', '330000', '{authority}'),
	('11330100002502717P', '杭州市市场监督管理局', '330100', '{issuer,user}'),
	('11330105MB1B28400H', '杭州市拱墅区市场监督管理局', '330105', '{issuer,user}'),
	('11330102MB1B16733D', '杭州市上城区市场监督管理局', '330102', '{issuer}'),
	('11330114MB1C3R513P', '杭州市钱塘区市场监督管理局', '330114', '{issuer}'),
	('11330100MB1A883655', '杭州市规划和自然资源局', '330100', '{issuer,user}'),
	('113301000025004631', '杭州市城乡建设委员会', '330100', '{issuer}'),
	('11330100MB1A779065', '杭州市卫生健康委员会', '330100', '{issuer}'),
	('11330100002500893T', '杭州市民政局', '330100', '{issuer,user}'),
	('113301060025221798', '杭州市西湖区民政局', '330106', '{issuer}'),
	('113301000025011839', '杭州市公安局', '330100', '{issuer,user}'),
	('11330100MB1A651201', '杭州市人力资源和社会保障局', '330100', '{issuer,user}'),
	('11330100002500543L', '杭州市教育局', '330100', '{issuer,user}'),
	('11330100MB1A91249Y', '杭州市生态环境局', '330100', '{issuer}'),
	('13330100470118222Y', '杭州市残疾人联合会', '330100', '{issuer}'),
	('11330100470114600N', '杭州市烟草专卖局', '330100', '{issuer}'),
	('11330100MB1A330659', '国家税务总局杭州市税务局', '330100', '{user}'),
	('12330100470112090C', '杭州住房公积金管理中心', '330100', '{user}'),
	('11330100MB1A743500', '杭州市医疗保障局', '330100', '{user}'),
	('12330100MB0P11757G', '杭州市政务服务中心', '330100', '{user}'),
	('113302000025130376', '宁波市市场监督管理局', '330200', '{issuer,user}'),
	('12330200MB0M66202A', '宁波市不动产登记中心', '330200', '{issuer,user}'),
	('11330300002548176D', '温州市交通运输局', '330300', '{issuer}');

-- 机构改革 2021: 上城区 and 江干区 merged into the new 上城区 (江干区's 下沙、白杨 went
-- to 钱塘区); 下城区 merged into 拱墅区.  The abolished districts' codes (330104,
-- 330103) no longer exist, so these bureaus are placed in 杭州市 (330100).
INSERT INTO ezz.department (uscc, name, region, kinds, active, successor) VALUES
	('11330100MB1B0912XU', '杭州市江干区市场监督管理局', '330100', '{issuer}', false, '11330102MB1B16733D'),	-- -> 杭州市上城区市场监督管理局
	('11330100MB1B074821', '杭州市下城区市场监督管理局', '330100', '{issuer}', false, '11330105MB1B28400H');	-- -> 杭州市拱墅区市场监督管理局

------------------------------------------------------------------------------
-- 政务服务事项
------------------------------------------------------------------------------
INSERT INTO ezz.service_item (code, name, department, kind) VALUES
	('ZJ-SCJG-0001', '企业设立登记', '11330100002502717P', 'registration'),	-- 杭州市市场监督管理局
	('ZJ-SCJG-0002', '企业变更登记', '11330100002502717P', 'registration'),	-- 杭州市市场监督管理局
	('ZJ-SCJG-0003', '食品经营许可', '11330105MB1B28400H', 'licensing'),	-- 杭州市拱墅区市场监督管理局
	('ZJ-SCJG-0004', '食品生产许可', '11330100002502717P', 'licensing'),	-- 杭州市市场监督管理局
	('ZJ-SCJG-0005', '特种设备使用登记', '11330100002502717P', 'registration'),	-- 杭州市市场监督管理局
	('ZJ-SCJG-0006', '药品零售企业经营许可', '11330100002502717P', 'licensing'),	-- 杭州市市场监督管理局
	('ZJ-YJJG-0001', '药品批发企业经营许可', '11330000MB1957E06A', 'licensing'),	-- 浙江省药品监督管理局
	('ZJ-JS-0001', '建筑施工企业安全生产许可', '11330000002481127M', 'licensing'),	-- 浙江省住房和城乡建设厅
	('ZJ-JS-0002', '建筑业企业资质核准', '11330000002481127M', 'licensing'),	-- 浙江省住房和城乡建设厅
	('ZJ-ZRZY-0001', '国有建设用地使用权及房屋所有权登记', '11330100MB1A883655', 'registration'),	-- 杭州市规划和自然资源局
	('ZJ-ZRZY-0002', '不动产抵押权登记', '11330100MB1A883655', 'registration'),	-- 杭州市规划和自然资源局
	('ZJ-ZRZY-0003', '建设工程规划许可', '11330100MB1A883655', 'licensing'),	-- 杭州市规划和自然资源局
	('ZJ-BDC-0001', '不动产转移登记', '12330200MB0M66202A', 'registration'),	-- 宁波市不动产登记中心
	('ZJ-WJ-0001', '出生医学证明办理', '11330100MB1A779065', 'public_service'),	-- 杭州市卫生健康委员会
	('ZJ-WJ-0002', '医师执业注册', '11330100MB1A779065', 'licensing'),	-- 杭州市卫生健康委员会
	('ZJ-WJ-0003', '护士执业注册', '11330100MB1A779065', 'licensing'),	-- 杭州市卫生健康委员会
	('ZJ-WJ-0004', '医疗机构执业登记', '11330100MB1A779065', 'licensing'),	-- 杭州市卫生健康委员会
	('ZJ-WJ-0005', '公共场所卫生许可', '11330100MB1A779065', 'licensing'),	-- 杭州市卫生健康委员会
	('ZJ-WJ-0006', '放射诊疗许可', '11330100MB1A779065', 'licensing'),	-- 杭州市卫生健康委员会
	('ZJ-MZ-0001', '内地居民结婚登记', '11330100002500893T', 'confirmation'),	-- 杭州市民政局
	('ZJ-MZ-0002', '内地居民离婚登记', '11330100002500893T', 'confirmation'),	-- 杭州市民政局
	('ZJ-MZ-0003', '社会团体成立登记', '11330100002500893T', 'registration'),	-- 杭州市民政局
	('ZJ-MZ-0004', '民办非企业单位成立登记', '11330100002500893T', 'registration'),	-- 杭州市民政局
	('ZJ-JT-0001', '道路货物运输经营许可', '11330300002548176D', 'licensing'),	-- 温州市交通运输局
	('ZJ-JT-0002', '道路运输证配发', '11330300002548176D', 'licensing'),	-- 温州市交通运输局
	('ZJ-JT-0003', '道路运输从业人员从业资格证核发', '11330300002548176D', 'licensing'),	-- 温州市交通运输局
	('ZJ-GA-0001', '居民身份证申领', '113301000025011839', 'public_service'),	-- 杭州市公安局
	('ZJ-GA-0002', '出生登记', '113301000025011839', 'registration'),	-- 杭州市公安局
	('ZJ-GA-0003', '居住证申领', '113301000025011839', 'public_service'),	-- 杭州市公安局
	('ZJ-GA-0004', '机动车驾驶证核发', '113301000025011839', 'licensing'),	-- 杭州市公安局
	('ZJ-RS-0001', '社会保险参保登记', '11330100MB1A651201', 'registration'),	-- 杭州市人力资源和社会保障局
	('ZJ-RS-0002', '社会保障卡申领', '11330100MB1A651201', 'public_service'),	-- 杭州市人力资源和社会保障局
	('ZJ-RS-0003', '职业资格证书核发', '11330100MB1A651201', 'confirmation'),	-- 杭州市人力资源和社会保障局
	('ZJ-RS-0004', '职业技能提升补贴申领', '11330100MB1A651201', 'payment'),	-- 杭州市人力资源和社会保障局
	('ZJ-RS-0005', '人力资源服务许可', '11330100MB1A651201', 'licensing'),	-- 杭州市人力资源和社会保障局
	('ZJ-JY-0001', '教师资格认定', '11330100002500543L', 'licensing'),	-- 杭州市教育局
	('ZJ-JY-0002', '义务教育阶段入学报名', '11330100002500543L', 'public_service'),	-- 杭州市教育局
	('ZJ-JY-0003', '民办学校设立审批', '11330100002500543L', 'licensing'),	-- 杭州市教育局
	('ZJ-STHJ-0001', '排污许可', '11330100MB1A91249Y', 'licensing'),	-- 杭州市生态环境局
	('ZJ-SF-0001', '律师执业许可', '11330000002480917T', 'licensing'),	-- 浙江省司法厅
	('ZJ-CL-0001', '残疾人证核发', '13330100470118222Y', 'confirmation'),	-- 杭州市残疾人联合会
	('ZJ-XWCB-0001', '出版物批发单位设立审批', '11330000002480327R', 'licensing'),	-- 浙江省新闻出版局
	('ZJ-YC-0001', '烟草专卖零售许可', '11330100470114600N', 'licensing'),	-- 杭州市烟草专卖局
	('ZJ-SW-0001', '个人所得税综合所得汇算清缴', '11330100MB1A330659', 'other'),	-- 国家税务总局杭州市税务局
	('ZJ-SW-0002', '新办纳税人涉税信息确认', '11330100MB1A330659', 'registration'),	-- 国家税务总局杭州市税务局
	('ZJ-SW-0003', '契税申报', '11330100MB1A330659', 'other'),	-- 国家税务总局杭州市税务局
	('ZJ-GJJ-0001', '住房公积金提取', '12330100470112090C', 'public_service'),	-- 杭州住房公积金管理中心
	('ZJ-GJJ-0002', '住房公积金个人住房贷款', '12330100470112090C', 'public_service'),	-- 杭州住房公积金管理中心
	('ZJ-YB-0001', '基本医疗保险参保登记', '11330100MB1A743500', 'registration'),	-- 杭州市医疗保障局
	('ZJ-ZWFW-0001', '新生儿出生“一件事”联办', '12330100MB0P11757G', 'public_service'),	-- 杭州市政务服务中心
	('ZJ-ZWFW-0002', '企业开办“一件事”联办', '12330100MB0P11757G', 'public_service');	-- 杭州市政务服务中心

------------------------------------------------------------------------------
-- 证照目录: type code = the industry authority's code + a 3-digit number
------------------------------------------------------------------------------
-- 营业执照 (浙江省市场监督管理局)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481602G001', '营业执照', 'licence', '11330000002481602G', '{legal_person,other_org}',
	'《中华人民共和国市场主体登记管理条例》',
	'interface', 'public', 1, NULL, false,
	'[{"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "company_name", "label": "名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "company_type", "label": "类型", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 100},
	  {"name": "legal_representative", "label": "法定代表人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "registered_capital", "label": "注册资本（万元）", "type": "number", "required": false, "sensitive": false, "public": true},
	  {"name": "established_on", "label": "成立日期", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "business_term_to", "label": "营业期限至", "type": "date", "required": false, "sensitive": false, "public": true},
	  {"name": "business_scope", "label": "经营范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 2000},
	  {"name": "address", "label": "住所", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "registration_authority", "label": "登记机关", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 100},
	  {"name": "issued_on", "label": "发照日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"unified_code": "91330106MA2J0T7U73", "company_name": "杭州西溪示例科技有限公司", "company_type": "有限责任公司（自然人投资或控股）", "legal_representative": "张伟", "registered_capital": 500, "established_on": "2021-06-18", "business_scope": "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；数据处理服务（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。", "address": "浙江省杭州市西湖区文三路000号示例大厦8层801室", "registration_authority": "杭州市西湖区市场监督管理局", "issued_on": "2025-03-12"}',
	'<svg xmlns="http://www.w3.org/2000/svg" width="842" height="595" viewBox="0 0 842 595">
<rect x="12" y="12" width="818" height="571" fill="#fffdf5" stroke="#b8860b" stroke-width="8"/>
<text x="421" y="90" font-size="44" text-anchor="middle" fill="#c00000" letter-spacing="24">营业执照</text>
<text x="60" y="150" font-size="16">统一社会信用代码　{{unified_code}}</text>
<text x="60" y="200" font-size="18">名　　称　{{company_name}}</text>
<text x="60" y="235" font-size="18">类　　型　{{company_type}}</text>
<text x="60" y="270" font-size="18">法定代表人　{{legal_representative}}</text>
<text x="60" y="305" font-size="18">经营范围　{{business_scope}}</text>
<text x="470" y="200" font-size="18">注册资本　{{registered_capital}}万元</text>
<text x="470" y="235" font-size="18">成立日期　{{established_on}}</text>
<text x="470" y="270" font-size="18">营业期限　{{established_on}} 至 {{business_term_to}}</text>
<text x="470" y="305" font-size="18">住　　所　{{address}}</text>
<text x="600" y="500" font-size="18">登记机关　{{registration_authority}}</text>
<text x="600" y="540" font-size="16">{{issued_on}}</text>
</svg>');

-- 食品经营许可证 (浙江省市场监督管理局)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481602G002', '食品经营许可证', 'permit', '11330000002481602G', '{legal_person,other_org}',
	'《中华人民共和国食品安全法》《食品经营许可和备案管理办法》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "licence_no", "label": "许可证编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 16},
	  {"name": "operator_name", "label": "经营者名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "legal_representative", "label": "法定代表人（负责人）", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "residence", "label": "住所", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "business_premises", "label": "经营场所", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "main_business", "label": "主体业态", "type": "string", "required": true, "sensitive": false, "public": true, "values": ["食品销售经营者", "餐饮服务经营者", "集中用餐单位食堂"]},
	  {"name": "business_items", "label": "经营项目", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 1000},
	  {"name": "daily_supervisor", "label": "日常监督管理机构", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 100},
	  {"name": "complaint_phone", "label": "投诉举报电话", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 20},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "签发日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "JY23301050012345", "operator_name": "杭州市拱墅区示例面馆", "unified_code": "92330105MA2K3LQ83G", "legal_representative": "李娜", "residence": "浙江省杭州市拱墅区湖墅南路000号", "business_premises": "浙江省杭州市拱墅区湖墅南路000号", "main_business": "餐饮服务经营者", "business_items": "热食类食品制售；冷食类食品制售（简单制售）", "daily_supervisor": "杭州市拱墅区市场监督管理局", "complaint_phone": "12315", "valid_to": "2030-04-21", "issued_on": "2025-04-22"}',
	'<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842" viewBox="0 0 595 842">
<rect x="10" y="10" width="575" height="822" fill="#ffffff" stroke="#1f5fa8" stroke-width="6"/>
<text x="297" y="90" font-size="36" text-anchor="middle" fill="#1f5fa8">食品经营许可证</text>
<text x="50" y="160" font-size="16">经营者名称　{{operator_name}}</text>
<text x="50" y="195" font-size="16">统一社会信用代码　{{unified_code}}</text>
<text x="50" y="230" font-size="16">法定代表人（负责人）　{{legal_representative}}</text>
<text x="50" y="265" font-size="16">住　　所　{{residence}}</text>
<text x="50" y="300" font-size="16">经营场所　{{business_premises}}</text>
<text x="50" y="335" font-size="16">主体业态　{{main_business}}</text>
<text x="50" y="370" font-size="16">经营项目　{{business_items}}</text>
<text x="50" y="440" font-size="16">许可证编号　{{licence_no}}</text>
<text x="50" y="475" font-size="16">有效期至　{{valid_to}}</text>
<text x="50" y="510" font-size="16">日常监督管理机构　{{daily_supervisor}}　投诉举报电话　{{complaint_phone}}</text>
<text x="360" y="760" font-size="16">签发日期　{{issued_on}}</text>
</svg>');

-- 食品生产许可证 (浙江省市场监督管理局)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481602G003', '食品生产许可证', 'permit', '11330000002481602G', '{legal_person,other_org}',
	'《中华人民共和国食品安全法》《食品生产许可管理办法》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "licence_no", "label": "许可证编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 16},
	  {"name": "producer_name", "label": "生产者名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "legal_representative", "label": "法定代表人（负责人）", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "residence", "label": "住所", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "production_address", "label": "生产地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "food_category", "label": "食品类别", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 500},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "签发日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "SC12433011000123", "producer_name": "杭州余杭示例食品有限公司", "unified_code": "91330110MA27WB3N96", "legal_representative": "刘洋", "residence": "浙江省杭州市余杭区仓前街道示例路00号", "production_address": "浙江省杭州市余杭区仓前街道示例路00号1幢", "food_category": "糕点；饮料", "valid_to": "2030-02-25", "issued_on": "2025-02-26"}',
	NULL);

-- 特种设备使用登记证 (浙江省市场监督管理局)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481602G004', '特种设备使用登记证', 'certificate', '11330000002481602G', '{legal_person,other_org}',
	'《中华人民共和国特种设备安全法》《特种设备使用管理规则》',
	'interface', 'conditional', 2, NULL, true,
	'[{"name": "registration_no", "label": "使用登记证编号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 30},
	  {"name": "user_name", "label": "使用单位名称", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 200},
	  {"name": "equipment_category", "label": "设备类别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["锅炉", "压力容器", "电梯", "起重机械", "客运索道", "大型游乐设施", "场（厂）内专用机动车辆", "压力管道"]},
	  {"name": "equipment_variety", "label": "设备品种", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "product_no", "label": "产品编号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "equipment_code", "label": "设备代码", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 20},
	  {"name": "location", "label": "设备使用地点", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 300},
	  {"name": "issued_on", "label": "登记日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "next_inspection_on", "label": "下次定期检验日期", "type": "date", "required": false, "sensitive": false, "public": false}]',
	'{"registration_no": "梯11浙A12345(25)", "user_name": "杭州西溪示例科技有限公司", "equipment_category": "电梯", "equipment_variety": "曳引驱动乘客电梯", "product_no": "EL2024-08812", "equipment_code": "31103301062025000123", "location": "浙江省杭州市西湖区文三路000号示例大厦1号梯", "issued_on": "2025-05-08", "next_inspection_on": "2026-05-07"}',
	NULL);

-- 药品经营许可证 (浙江省药品监督管理局)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000MB1957E06A001', '药品经营许可证', 'permit', '11330000MB1957E06A', '{legal_person,other_org}',
	'《中华人民共和国药品管理法》《药品经营和使用质量监督管理办法》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "licence_no", "label": "许可证编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 20},
	  {"name": "enterprise_name", "label": "企业名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "legal_representative", "label": "法定代表人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "principal", "label": "主要负责人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "quality_manager", "label": "质量负责人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "registered_address", "label": "注册地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "warehouse_address", "label": "仓库地址", "type": "string", "required": false, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "business_mode", "label": "经营方式", "type": "string", "required": true, "sensitive": false, "public": true, "values": ["批发", "零售连锁总部", "零售连锁门店", "单体药店"]},
	  {"name": "business_scope", "label": "经营范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 1000},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "浙CA5710123", "enterprise_name": "杭州滨江示例大药房连锁有限公司", "unified_code": "91330108MA28C1FK5D", "legal_representative": "王芳", "principal": "王芳", "quality_manager": "徐婷", "registered_address": "浙江省杭州市滨江区长河街道示例路000号", "business_mode": "零售连锁总部", "business_scope": "处方药、甲类非处方药、乙类非处方药：中药饮片、中成药、化学药、生物制品", "valid_to": "2030-01-14", "issued_on": "2025-01-15"}',
	NULL);

-- 建筑施工企业安全生产许可证 (浙江省住房和城乡建设厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481127M001', '建筑施工企业安全生产许可证', 'permit', '11330000002481127M', '{legal_person}',
	'《安全生产许可证条例》《建筑施工企业安全生产许可证管理规定》',
	'interface', 'public', 1, '3 years', false,
	'[{"name": "licence_no", "label": "编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "enterprise_name", "label": "企业名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "principal", "label": "主要负责人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "address", "label": "单位地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "economic_type", "label": "经济类型", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "licence_scope", "label": "许可范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "valid_from", "label": "有效期起", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "(浙)JZ安许证字〔2025〕010123", "enterprise_name": "浙江示例建设集团有限公司", "unified_code": "91330100143205679X", "principal": "周强", "address": "浙江省杭州市上城区示例路000号", "economic_type": "有限责任公司", "licence_scope": "建筑施工", "valid_from": "2025-03-01", "valid_to": "2028-02-29"}',
	NULL);

-- 建筑业企业资质证书 (浙江省住房和城乡建设厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481127M002', '建筑业企业资质证书', 'certificate', '11330000002481127M', '{legal_person}',
	'《中华人民共和国建筑法》《建筑业企业资质管理规定》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "certificate_no", "label": "证书编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 20},
	  {"name": "enterprise_name", "label": "企业名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "legal_representative", "label": "法定代表人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "address", "label": "详细地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "economic_nature", "label": "经济性质", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "qualifications", "label": "资质类别及等级", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 1000},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issuing_authority", "label": "发证机关", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 100}]',
	'{"certificate_no": "D233012345", "enterprise_name": "浙江示例建设集团有限公司", "unified_code": "91330100143205679X", "legal_representative": "周强", "address": "浙江省杭州市上城区示例路000号", "economic_nature": "有限责任公司", "qualifications": "建筑工程施工总承包贰级；市政公用工程施工总承包贰级", "valid_to": "2030-06-29", "issued_on": "2025-06-30", "issuing_authority": "浙江省住房和城乡建设厅"}',
	NULL);

-- 不动产权证书 (浙江省自然资源厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481311D001', '不动产权证书', 'certificate', '11330000002481311D', '{natural_person,legal_person,other_org}',
	'《中华人民共和国民法典》《不动产登记暂行条例》',
	'batch', 'conditional', 3, NULL, false,
	'[{"name": "certificate_no", "label": "证号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 60},
	  {"name": "obligee", "label": "权利人", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 500, "mask": "name"},
	  {"name": "co_ownership", "label": "共有情况", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["单独所有", "共同共有", "按份共有"]},
	  {"name": "location", "label": "坐落", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 300, "mask": "address"},
	  {"name": "unit_no", "label": "不动产单元号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 28},
	  {"name": "right_type", "label": "权利类型", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "right_nature", "label": "权利性质", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "usage", "label": "用途", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "land_area", "label": "共有宗地面积（平方米）", "type": "number", "required": false, "sensitive": false, "public": false},
	  {"name": "building_area", "label": "房屋建筑面积（平方米）", "type": "number", "required": false, "sensitive": false, "public": false},
	  {"name": "term", "label": "使用期限", "type": "string", "required": false, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "registered_on", "label": "登记日期", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"certificate_no": "浙(2025)杭州市不动产权第0123456号", "obligee": "张伟，李娜", "co_ownership": "共同共有", "location": "西湖区文新街道示例花园3幢2单元1102室", "unit_no": "330106012003GB00123F00031102", "right_type": "国有建设用地使用权/房屋所有权", "right_nature": "出让/市场化商品房", "usage": "城镇住宅用地/住宅", "land_area": 23456.7, "building_area": 89.56, "term": "国有建设用地使用权 2018年05月20日起2088年05月19日止", "registered_on": "2025-07-16"}',
	NULL);

-- 不动产登记证明 (浙江省自然资源厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481311D002', '不动产登记证明', 'attestation', '11330000002481311D', '{natural_person,legal_person,other_org}',
	'《中华人民共和国民法典》《不动产登记暂行条例》',
	'batch', 'conditional', 3, NULL, false,
	'[{"name": "certificate_no", "label": "证明号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 60},
	  {"name": "matter", "label": "证明权利或事项", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["抵押权", "地役权", "预告登记", "异议登记"]},
	  {"name": "obligee", "label": "权利人（申请人）", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 500, "mask": "name"},
	  {"name": "obligor", "label": "义务人", "type": "string", "required": false, "sensitive": true, "public": false, "max_length": 500, "mask": "name"},
	  {"name": "location", "label": "坐落", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 300, "mask": "address"},
	  {"name": "unit_no", "label": "不动产单元号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 28},
	  {"name": "secured_amount", "label": "被担保主债权数额（万元）", "type": "number", "required": false, "sensitive": false, "public": false},
	  {"name": "debt_term", "label": "债务履行期限", "type": "string", "required": false, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "registered_on", "label": "登记日期", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"certificate_no": "浙(2025)杭州市不动产证明第0045678号", "matter": "抵押权", "obligee": "中国示例银行股份有限公司杭州分行", "obligor": "张伟，李娜", "location": "西湖区文新街道示例花园3幢2单元1102室", "unit_no": "330106012003GB00123F00031102", "secured_amount": 180, "debt_term": "2025年07月16日起2055年07月15日止", "registered_on": "2025-07-16"}',
	NULL);

-- 建设工程规划许可证 (浙江省自然资源厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481311D003', '建设工程规划许可证', 'permit', '11330000002481311D', '{legal_person,other_org}',
	'《中华人民共和国城乡规划法》',
	'interface', 'public', 1, NULL, false,
	'[{"name": "licence_no", "label": "编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "construction_unit", "label": "建设单位（个人）", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "project_name", "label": "建设项目名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "construction_location", "label": "建设位置", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "construction_scale", "label": "建设规模", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 500},
	  {"name": "total_floor_area", "label": "总建筑面积（平方米）", "type": "number", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "建字第330100202500123号", "construction_unit": "浙江示例建设集团有限公司", "project_name": "钱塘区示例产业园一期", "construction_location": "杭州市钱塘区下沙街道示例路以东", "construction_scale": "地上6幢，地下1层", "total_floor_area": 86420.5, "issued_on": "2025-08-05"}',
	NULL);

-- 出生医学证明 (浙江省卫生健康委员会)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481477U001', '出生医学证明', 'attestation', '11330000002481477U', '{natural_person}',
	'《中华人民共和国母婴保健法》《中华人民共和国母婴保健法实施办法》',
	'interface', 'conditional', 3, NULL, false,
	'[{"name": "certificate_no", "label": "出生医学证明编号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 10},
	  {"name": "newborn_name", "label": "新生儿姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "birth_place", "label": "出生地点", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "gestational_weeks", "label": "出生孕周", "type": "integer", "required": false, "sensitive": false, "public": false},
	  {"name": "birth_weight_g", "label": "出生体重（克）", "type": "integer", "required": false, "sensitive": false, "public": false},
	  {"name": "mother_name", "label": "母亲姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "mother_id_no", "label": "母亲有效身份证件号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "father_name", "label": "父亲姓名", "type": "string", "required": false, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "father_id_no", "label": "父亲有效身份证件号码", "type": "string", "required": false, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "institution", "label": "接生机构名称", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 200}]',
	'{"certificate_no": "Z330123456", "newborn_name": "张小雨", "sex": "女", "birth_date": "2025-09-03", "birth_place": "浙江省杭州市西湖区", "gestational_weeks": 39, "birth_weight_g": 3250, "mother_name": "李娜", "mother_id_no": "330105199007221645", "father_name": "张伟", "father_id_no": "330106198803142317", "institution": "杭州市示例妇产科医院"}',
	NULL);

-- 医师执业证书 (浙江省卫生健康委员会)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481477U002', '医师执业证书', 'certificate', '11330000002481477U', '{natural_person}',
	'《中华人民共和国医师法》《医师执业注册管理办法》',
	'interface', 'conditional', 2, NULL, false,
	'[{"name": "certificate_no", "label": "证书编码", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 15},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "id_no", "label": "身份证件号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "practice_category", "label": "执业类别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["临床", "中医", "口腔", "公共卫生"]},
	  {"name": "practice_scope", "label": "执业范围", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 200},
	  {"name": "practice_institution", "label": "主要执业机构", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 200},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"certificate_no": "110330100012345", "name": "陈杰", "sex": "男", "birth_date": "1979-01-18", "id_no": "330302197901184159", "practice_category": "临床", "practice_scope": "内科专业", "practice_institution": "杭州市示例人民医院", "issued_on": "2025-03-20"}',
	NULL);

-- 护士执业证书 (浙江省卫生健康委员会)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481477U003', '护士执业证书', 'certificate', '11330000002481477U', '{natural_person}',
	'《护士条例》《护士执业注册管理办法》',
	'interface', 'conditional', 2, '5 years', false,
	'[{"name": "certificate_no", "label": "证书编号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 15},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "id_no", "label": "身份证件号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "practice_institution", "label": "执业地点", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 200},
	  {"name": "first_registered_on", "label": "首次注册日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "valid_to", "label": "注册有效期至", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"certificate_no": "202533012345", "name": "徐婷", "sex": "女", "birth_date": "1995-02-08", "id_no": "330108199502080623", "practice_institution": "杭州市示例人民医院", "first_registered_on": "2017-08-15", "valid_to": "2030-08-14", "issued_on": "2025-08-15"}',
	NULL);

-- 医疗机构执业许可证 (浙江省卫生健康委员会)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481477U004', '医疗机构执业许可证', 'permit', '11330000002481477U', '{legal_person,other_org}',
	'《医疗机构管理条例》《医疗机构管理条例实施细则》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "registration_no", "label": "登记号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 30},
	  {"name": "institution_name", "label": "机构名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "address", "label": "地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "principal", "label": "主要负责人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "legal_representative", "label": "法定代表人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "ownership", "label": "所有制形式", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "institution_category", "label": "医疗机构类别", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 100},
	  {"name": "diagnosis_subjects", "label": "诊疗科目", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 2000},
	  {"name": "beds", "label": "床位（张）", "type": "integer", "required": false, "sensitive": false, "public": true},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"registration_no": "PDY00123433010617A1002", "institution_name": "杭州西湖示例医院", "address": "浙江省杭州市西湖区留下街道示例路00号", "principal": "陈杰", "legal_representative": "郑玲", "ownership": "私营", "institution_category": "综合医院", "diagnosis_subjects": "预防保健科；内科；外科；妇产科；儿科；眼科；耳鼻咽喉科；口腔科；医学检验科；医学影像科", "beds": 120, "valid_to": "2030-09-09", "issued_on": "2025-09-10"}',
	NULL);

-- 公共场所卫生许可证 (浙江省卫生健康委员会)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481477U005', '公共场所卫生许可证', 'permit', '11330000002481477U', '{legal_person,other_org,natural_person}',
	'《公共场所卫生管理条例》《公共场所卫生管理条例实施细则》',
	'interface', 'public', 1, '4 years', false,
	'[{"name": "licence_no", "label": "许可证号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "unit_name", "label": "单位名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "legal_representative", "label": "法定代表人（负责人）", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "address", "label": "地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "licensed_items", "label": "许可项目", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "浙卫公证字〔2025〕第330106-000123号", "unit_name": "杭州西湖示例酒店有限公司", "legal_representative": "黄磊", "address": "浙江省杭州市西湖区北山街道示例路00号", "licensed_items": "住宿业", "valid_to": "2029-05-19", "issued_on": "2025-05-20"}',
	NULL);

-- 放射诊疗许可证 (浙江省卫生健康委员会)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002481477U006', '放射诊疗许可证', 'permit', '11330000002481477U', '{legal_person,other_org}',
	'《放射性同位素与射线装置安全和防护条例》《放射诊疗管理规定》',
	'interface', 'public', 1, NULL, false,
	'[{"name": "licence_no", "label": "许可证号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "institution_name", "label": "医疗机构名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "address", "label": "地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "legal_representative", "label": "法定代表人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "licensed_items", "label": "许可项目", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 500},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "浙卫放证字〔2025〕第330100012号", "institution_name": "杭州西湖示例医院", "address": "浙江省杭州市西湖区留下街道示例路00号", "legal_representative": "郑玲", "licensed_items": "X射线影像诊断", "issued_on": "2025-10-20"}',
	NULL);

-- 结婚证 (浙江省民政厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024808377001', '结婚证', 'certificate', '113300000024808377', '{natural_person}',
	'《中华人民共和国民法典》《婚姻登记条例》',
	'interface', 'conditional', 3, NULL, false,
	'[{"name": "certificate_no", "label": "结婚证字号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 30},
	  {"name": "holder_name", "label": "持证人", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "registered_on", "label": "登记日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "husband_name", "label": "男方姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "husband_nationality", "label": "男方国籍", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "husband_id_no", "label": "男方身份证件号", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 30, "mask": "id"},
	  {"name": "wife_name", "label": "女方姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "wife_nationality", "label": "女方国籍", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "wife_id_no", "label": "女方身份证件号", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 30, "mask": "id"},
	  {"name": "registry", "label": "登记机关", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "remarks", "label": "备注", "type": "string", "required": false, "sensitive": false, "public": false, "max_length": 200}]',
	'{"certificate_no": "J330106-2025-001234", "holder_name": "李娜", "registered_on": "2025-05-20", "husband_name": "张伟", "husband_nationality": "中国", "husband_id_no": "330106198803142317", "wife_name": "李娜", "wife_nationality": "中国", "wife_id_no": "330105199007221645", "registry": "杭州市西湖区民政局"}',
	NULL);

-- 离婚证 (浙江省民政厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024808377002', '离婚证', 'certificate', '113300000024808377', '{natural_person}',
	'《中华人民共和国民法典》《婚姻登记条例》',
	'interface', 'conditional', 3, NULL, false,
	'[{"name": "certificate_no", "label": "离婚证字号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 30},
	  {"name": "holder_name", "label": "持证人", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "registered_on", "label": "登记日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "male_name", "label": "男方姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "male_nationality", "label": "男方国籍", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "male_id_no", "label": "男方身份证件号", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 30, "mask": "id"},
	  {"name": "female_name", "label": "女方姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "female_nationality", "label": "女方国籍", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "female_id_no", "label": "女方身份证件号", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 30, "mask": "id"},
	  {"name": "registry", "label": "登记机关", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100}]',
	'{"certificate_no": "L330100-2025-000321", "holder_name": "周强", "registered_on": "2025-03-18", "male_name": "周强", "male_nationality": "中国", "male_id_no": "33038119830926271X", "female_name": "孙丽", "female_nationality": "中国", "female_id_no": "330204197610123468", "registry": "杭州市民政局"}',
	NULL);

-- 社会团体法人登记证书 (浙江省民政厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024808377003', '社会团体法人登记证书', 'certificate', '113300000024808377', '{legal_person}',
	'《社会团体登记管理条例》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "org_name", "label": "名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "residence", "label": "住所", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "business_scope", "label": "业务范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 1000},
	  {"name": "activity_area", "label": "活动地域", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 100},
	  {"name": "registered_fund", "label": "注册资金（万元）", "type": "number", "required": true, "sensitive": false, "public": true},
	  {"name": "legal_representative", "label": "法定代表人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "competent_unit", "label": "业务主管单位", "type": "string", "required": false, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"unified_code": "51330100MJ8801R49C", "org_name": "杭州市示例软件行业协会", "residence": "浙江省杭州市拱墅区示例路000号", "business_scope": "行业自律、行业服务、交流合作、标准制定", "activity_area": "杭州市", "registered_fund": 10, "legal_representative": "黄磊", "valid_to": "2030-04-09", "issued_on": "2025-04-10"}',
	NULL);

-- 民办非企业单位登记证书 (浙江省民政厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024808377004', '民办非企业单位登记证书', 'certificate', '113300000024808377', '{legal_person,other_org}',
	'《民办非企业单位登记管理暂行条例》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "org_name", "label": "名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "residence", "label": "住所", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "business_scope", "label": "业务范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 1000},
	  {"name": "start_up_fund", "label": "开办资金（万元）", "type": "number", "required": true, "sensitive": false, "public": true},
	  {"name": "legal_representative", "label": "法定代表人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "competent_unit", "label": "业务主管单位", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"unified_code": "52330100MJ8807U28T", "org_name": "杭州市上城区示例养老服务中心", "residence": "浙江省杭州市上城区示例路00号", "business_scope": "为老年人提供生活照料、康复护理、精神慰藉服务", "start_up_fund": 50, "legal_representative": "郑玲", "competent_unit": "杭州市民政局", "valid_to": "2030-01-19", "issued_on": "2025-01-20"}',
	NULL);

-- 道路运输经营许可证 (浙江省交通运输厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024812079001', '道路运输经营许可证', 'permit', '113300000024812079', '{legal_person,other_org,natural_person}',
	'《中华人民共和国道路运输条例》《道路货物运输及站场管理规定》',
	'interface', 'public', 1, '4 years', false,
	'[{"name": "licence_no", "label": "许可证号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 30},
	  {"name": "operator_name", "label": "业户名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "address", "label": "地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "legal_representative", "label": "法定代表人（负责人）", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "economic_type", "label": "经济类型", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "business_scope", "label": "经营范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 500},
	  {"name": "valid_from", "label": "有效期起", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "浙交运管许可温字330302000123号", "operator_name": "温州市示例物流有限公司", "unified_code": "91330302MA2HT6P18W", "address": "浙江省温州市鹿城区示例路000号", "legal_representative": "陈杰", "economic_type": "有限责任公司", "business_scope": "道路普通货物运输；货物专用运输（集装箱）", "valid_from": "2025-02-10", "valid_to": "2029-02-09", "issued_on": "2025-02-10"}',
	NULL);

-- 道路运输证 (浙江省交通运输厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024812079002', '道路运输证', 'certificate', '113300000024812079', '{legal_person,other_org,natural_person}',
	'《中华人民共和国道路运输条例》《道路运输车辆技术管理规定》',
	'interface', 'conditional', 2, NULL, true,
	'[{"name": "certificate_no", "label": "道路运输证号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 30},
	  {"name": "owner_name", "label": "业户名称", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 200},
	  {"name": "operating_licence_no", "label": "经营许可证号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 30},
	  {"name": "plate_number", "label": "车辆号牌", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 12},
	  {"name": "vehicle_type", "label": "车辆类型", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "tonnage", "label": "吨（座）位", "type": "number", "required": true, "sensitive": false, "public": false},
	  {"name": "vehicle_size", "label": "车辆尺寸（毫米）", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "business_scope", "label": "经营范围", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 200},
	  {"name": "issued_on", "label": "核发日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "inspection_valid_to", "label": "审验有效期至", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"certificate_no": "浙交运管温字330302012345号", "owner_name": "温州市示例物流有限公司", "operating_licence_no": "浙交运管许可温字330302000123号", "plate_number": "浙C·D1234", "vehicle_type": "重型厢式货车", "tonnage": 18.5, "vehicle_size": "9995×2550×3950", "business_scope": "道路普通货物运输", "issued_on": "2025-02-12", "inspection_valid_to": "2026-02-28"}',
	NULL);

-- 道路运输从业人员从业资格证 (浙江省交通运输厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024812079003', '道路运输从业人员从业资格证', 'certificate', '113300000024812079', '{natural_person}',
	'《中华人民共和国道路运输条例》《道路运输从业人员管理规定》',
	'interface', 'conditional', 2, '6 years', false,
	'[{"name": "certificate_no", "label": "从业资格证号", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "nationality", "label": "国籍", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "address", "label": "住址", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 300, "mask": "address"},
	  {"name": "qualification_category", "label": "从业资格类别", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "first_issued_on", "label": "初次领证日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"certificate_no": "33038119830926271X", "name": "周强", "sex": "男", "birth_date": "1983-09-26", "nationality": "中国", "address": "浙江省瑞安市安阳街道示例路00号", "qualification_category": "经营性道路货物运输驾驶员", "first_issued_on": "2013-06-05", "valid_to": "2031-06-04"}',
	NULL);

-- 居民身份证 (浙江省公安厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002480757K001', '居民身份证', 'document', '11330000002480757K', '{natural_person}',
	'《中华人民共和国居民身份证法》',
	'front_processor', 'conditional', 3, '20 years', false,
	'[{"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "ethnicity", "label": "民族", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 20},
	  {"name": "birth_date", "label": "出生", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "address", "label": "住址", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 300, "mask": "address"},
	  {"name": "id_no", "label": "公民身份号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "issuing_authority", "label": "签发机关", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "valid_from", "label": "有效期限起", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "valid_to", "label": "有效期限止", "type": "date", "required": false, "sensitive": false, "public": false}]',
	'{"name": "张伟", "sex": "男", "ethnicity": "汉", "birth_date": "1988-03-14", "address": "浙江省杭州市西湖区文新街道示例花园3幢2单元1102室", "id_no": "330106198803142317", "issuing_authority": "杭州市公安局西湖分局", "valid_from": "2016-05-10", "valid_to": "2036-05-10"}',
	NULL);

-- 户口簿 (浙江省公安厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002480757K002', '户口簿', 'document', '11330000002480757K', '{natural_person}',
	'《中华人民共和国户口登记条例》',
	'front_processor', 'conditional', 3, NULL, false,
	'[{"name": "household_no", "label": "户号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 20},
	  {"name": "household_type", "label": "户别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["家庭户", "集体户"]},
	  {"name": "householder_name", "label": "户主姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "address", "label": "住址", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 300, "mask": "address"},
	  {"name": "member_name", "label": "姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "relation", "label": "户主或与户主关系", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 20},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "birthplace", "label": "出生地", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "id_no", "label": "公民身份号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "registered_on", "label": "登记日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "issuing_authority", "label": "承办单位", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100}]',
	'{"household_no": "330106012345", "household_type": "家庭户", "householder_name": "吴建国", "address": "浙江省杭州市西湖区蒋村街道示例苑5幢1单元602室", "member_name": "吴浩", "relation": "子", "sex": "男", "birth_date": "2010-04-15", "birthplace": "浙江省杭州市", "id_no": "330106201004150139", "registered_on": "2024-11-06", "issuing_authority": "杭州市公安局西湖分局文新派出所"}',
	NULL);

-- 居住证 (浙江省公安厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002480757K003', '居住证', 'document', '11330000002480757K', '{natural_person}',
	'《居住证暂行条例》《浙江省流动人口居住登记条例》',
	'front_processor', 'conditional', 3, '1 year', false,
	'[{"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "id_no", "label": "公民身份号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "residence_address", "label": "居住地址", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 300, "mask": "address"},
	  {"name": "household_registration", "label": "户籍地", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "issuing_authority", "label": "签发机关", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "valid_from", "label": "有效期起", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"name": "郑玲", "sex": "女", "birth_date": "1968-05-21", "id_no": "330721196805210421", "residence_address": "浙江省杭州市拱墅区示例新村12幢301室", "household_registration": "浙江省金华市", "issuing_authority": "杭州市公安局拱墅区分局", "valid_from": "2025-03-01", "valid_to": "2026-02-28"}',
	NULL);

-- 机动车驾驶证 (浙江省公安厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002480757K004', '机动车驾驶证', 'document', '11330000002480757K', '{natural_person}',
	'《中华人民共和国道路交通安全法》《机动车驾驶证申领和使用规定》',
	'front_processor', 'conditional', 3, '6 years', false,
	'[{"name": "licence_no", "label": "证号", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "nationality", "label": "国籍", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "address", "label": "住址", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 300, "mask": "address"},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "first_issued_on", "label": "初次领证日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "vehicle_class", "label": "准驾车型", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 20},
	  {"name": "valid_from", "label": "有效期起", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": false, "sensitive": false, "public": false},
	  {"name": "issuing_authority", "label": "发证机关", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100}]',
	'{"licence_no": "330109198111302171", "name": "黄磊", "sex": "男", "nationality": "中国", "address": "浙江省杭州市萧山区城厢街道示例路00号", "birth_date": "1981-11-30", "first_issued_on": "2005-07-22", "vehicle_class": "C1", "valid_from": "2021-07-22", "issuing_authority": "浙江省杭州市公安局交通警察支队"}',
	NULL);

-- 社会保障卡 (浙江省人力资源和社会保障厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024810472001', '社会保障卡', 'document', '113300000024810472', '{natural_person}',
	'《中华人民共和国社会保险法》《社会保障卡管理办法》',
	'interface', 'conditional', 3, '10 years', false,
	'[{"name": "social_security_no", "label": "社会保障号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "card_serial", "label": "卡号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 9},
	  {"name": "card_generation", "label": "卡类型", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["第二代社会保障卡", "第三代社会保障卡"]},
	  {"name": "issuing_authority", "label": "发卡机构", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "issued_on", "label": "发卡日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"social_security_no": "330110199203050282", "name": "赵敏", "card_serial": "A33012345", "card_generation": "第三代社会保障卡", "issuing_authority": "杭州市人力资源和社会保障局", "issued_on": "2025-06-01", "valid_to": "2035-06-01"}',
	NULL);

-- 职业资格证书 (浙江省人力资源和社会保障厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024810472002', '职业资格证书', 'certificate', '113300000024810472', '{natural_person}',
	'《中华人民共和国劳动法》《国家职业资格目录（2021年版）》',
	'batch', 'conditional', 2, NULL, false,
	'[{"name": "certificate_no", "label": "证书编号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 30},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "id_no", "label": "身份证件号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "occupation", "label": "职业（工种）", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100},
	  {"name": "level", "label": "等级", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师"]},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "issuing_authority", "label": "发证机关", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100}]',
	'{"certificate_no": "Z000033012525001234", "name": "刘洋", "id_no": "330183198711031575", "occupation": "消防设施操作员", "level": "四级/中级工", "issued_on": "2025-07-30", "issuing_authority": "浙江省人力资源和社会保障厅"}',
	NULL);

-- 人力资源服务许可证 (浙江省人力资源和社会保障厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024810472003', '人力资源服务许可证', 'permit', '113300000024810472', '{legal_person,other_org}',
	'《人力资源市场暂行条例》《人力资源服务机构管理规定》',
	'interface', 'public', 1, NULL, false,
	'[{"name": "licence_no", "label": "许可证编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 30},
	  {"name": "institution_name", "label": "机构名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "legal_representative", "label": "法定代表人", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "address", "label": "住所", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "service_scope", "label": "服务范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 500},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "330105202500123", "institution_name": "杭州示例人力资源服务有限公司", "unified_code": "91330105MA2CE45W2Q", "legal_representative": "赵敏", "address": "浙江省杭州市拱墅区示例路000号", "service_scope": "职业介绍；人力资源供求信息的收集和发布；就业和创业指导；人力资源管理咨询", "issued_on": "2025-04-02"}',
	NULL);

-- 教师资格证 (浙江省教育厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002480597C001', '教师资格证', 'certificate', '11330000002480597C', '{natural_person}',
	'《中华人民共和国教师法》《教师资格条例》',
	'interface', 'conditional', 2, NULL, false,
	'[{"name": "certificate_no", "label": "证书号码", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 20},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "id_no", "label": "身份证件号码", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "qualification_type", "label": "资格种类", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["幼儿园教师资格", "小学教师资格", "初级中学教师资格", "高级中学教师资格", "中等职业学校教师资格", "中等职业学校实习指导教师资格", "高等学校教师资格"]},
	  {"name": "subject", "label": "任教学科", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "issuing_authority", "label": "发证机关", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100}]',
	'{"certificate_no": "20253310612000123", "name": "徐婷", "sex": "女", "birth_date": "1995-02-08", "id_no": "330108199502080623", "qualification_type": "小学教师资格", "subject": "数学", "issued_on": "2025-06-25", "issuing_authority": "杭州市教育局"}',
	NULL);

-- 民办学校办学许可证 (浙江省教育厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002480597C002', '民办学校办学许可证', 'permit', '11330000002480597C', '{legal_person,other_org}',
	'《中华人民共和国民办教育促进法》《中华人民共和国民办教育促进法实施条例》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "licence_no", "label": "编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 30},
	  {"name": "school_name", "label": "学校名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "principal", "label": "校长", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "address", "label": "地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "school_type", "label": "学校类型", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "program_content", "label": "办学内容", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 500},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "教民133010670000123号", "school_name": "杭州市西湖区示例实验学校", "unified_code": "52330106MJ9126QA1F", "principal": "吴敏华", "address": "浙江省杭州市西湖区三墩镇示例路00号", "school_type": "九年一贯制学校", "program_content": "小学、初中学历教育", "valid_to": "2030-08-31", "issued_on": "2025-09-01"}',
	NULL);

-- 排污许可证 (浙江省生态环境厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300000024813978001', '排污许可证', 'permit', '113300000024813978', '{legal_person,other_org}',
	'《中华人民共和国环境保护法》《排污许可管理条例》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "licence_no", "label": "证书编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 30},
	  {"name": "unit_name", "label": "单位名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "address", "label": "注册地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "production_address", "label": "生产经营场所地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "industry_category", "label": "行业类别", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 100},
	  {"name": "legal_representative", "label": "法定代表人（主要负责人）", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "management_category", "label": "管理类别", "type": "string", "required": true, "sensitive": false, "public": true, "values": ["重点管理", "简化管理"]},
	  {"name": "valid_from", "label": "有效期起", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "91330114704288516P001P", "unit_name": "杭州钱塘示例化工有限公司", "unified_code": "91330114704288516P", "address": "浙江省杭州市钱塘区临江街道示例路000号", "production_address": "浙江省杭州市钱塘区临江街道示例路000号", "industry_category": "专用化学产品制造", "legal_representative": "孙丽", "management_category": "重点管理", "valid_from": "2025-06-18", "valid_to": "2030-06-17", "issued_on": "2025-06-18"}',
	NULL);

-- 律师执业证 (浙江省司法厅)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002480917T001', '律师执业证', 'certificate', '11330000002480917T', '{natural_person}',
	'《中华人民共和国律师法》《律师执业管理办法》',
	'manual', 'conditional', 2, NULL, false,
	'[{"name": "licence_no", "label": "执业证号", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 17},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "id_no", "label": "身份证号", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 18, "mask": "id"},
	  {"name": "law_firm", "label": "执业机构", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 200},
	  {"name": "practice_category", "label": "执业类别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["专职律师", "兼职律师", "公职律师", "公司律师", "法律援助律师"]},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "issuing_authority", "label": "发证机关", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 100}]',
	'{"licence_no": "13301201510123456", "name": "王芳", "sex": "女", "id_no": "330102198506093824", "law_firm": "浙江示例律师事务所", "practice_category": "专职律师", "issued_on": "2025-06-30", "issuing_authority": "浙江省司法厅"}',
	NULL);

-- 残疾人证 (浙江省残疾人联合会)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('13330000470002975A001', '残疾人证', 'certificate', '13330000470002975A', '{natural_person}',
	'《中华人民共和国残疾人保障法》《中华人民共和国残疾人证管理办法》',
	'batch', 'not_shared', 4, '10 years', false,
	'[{"name": "certificate_no", "label": "残疾人证号", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 20, "mask": "id"},
	  {"name": "name", "label": "姓名", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "sex", "label": "性别", "type": "string", "required": true, "sensitive": false, "public": false, "values": ["男", "女"]},
	  {"name": "birth_date", "label": "出生日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "address", "label": "住址", "type": "string", "required": true, "sensitive": true, "public": false, "max_length": 300, "mask": "address"},
	  {"name": "guardian_name", "label": "监护人姓名", "type": "string", "required": false, "sensitive": true, "public": false, "max_length": 50, "mask": "name"},
	  {"name": "guardian_phone", "label": "监护人联系电话", "type": "string", "required": false, "sensitive": true, "public": false, "max_length": 20, "mask": "phone"},
	  {"name": "disability_category", "label": "残疾类别", "type": "string", "required": true, "sensitive": true, "public": false, "mask": "text", "values": ["视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾"]},
	  {"name": "disability_level", "label": "残疾等级", "type": "string", "required": true, "sensitive": true, "public": false, "mask": "text", "values": ["一级", "二级", "三级", "四级"]},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": false},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": false}]',
	'{"certificate_no": "33010620100415013944", "name": "吴浩", "sex": "男", "birth_date": "2010-04-15", "address": "浙江省杭州市西湖区蒋村街道示例苑5幢1单元602室", "guardian_name": "吴建国", "guardian_phone": "13800000000", "disability_category": "肢体残疾", "disability_level": "四级", "issued_on": "2025-04-08", "valid_to": "2035-04-08"}',
	NULL);

-- 出版物经营许可证 (浙江省新闻出版局)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('11330000002480327R001', '出版物经营许可证', 'permit', '11330000002480327R', '{legal_person,other_org,natural_person}',
	'《出版管理条例》《出版物市场管理规定》',
	'interface', 'public', 1, NULL, false,
	'[{"name": "licence_no", "label": "许可证编号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 30},
	  {"name": "unit_name", "label": "单位名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "unified_code", "label": "统一社会信用代码", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 18},
	  {"name": "legal_representative", "label": "法定代表人（主要负责人）", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 50},
	  {"name": "address", "label": "地址", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "business_mode", "label": "经营方式", "type": "string", "required": true, "sensitive": false, "public": true, "values": ["批发", "零售", "网络发行"]},
	  {"name": "business_scope", "label": "经营范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 500},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "新出发浙批字第00123号", "unit_name": "浙江示例图书发行有限公司", "unified_code": "91330105MA2AD97L10", "legal_representative": "李娜", "address": "浙江省杭州市拱墅区示例路000号", "business_mode": "批发", "business_scope": "图书、报纸、期刊、电子出版物、音像制品批发", "issued_on": "2025-03-26"}',
	NULL);

-- 烟草专卖零售许可证 (浙江省烟草专卖局)
INSERT INTO ezz.licence_type (code, name, category, authority, holder_types, legal_basis,
		aggregation, disclosure, data_level, default_validity, annual_inspection, field_schema, face_sample, face_template)
VALUES ('113300004700053754001', '烟草专卖零售许可证', 'permit', '113300004700053754', '{natural_person,legal_person,other_org}',
	'《中华人民共和国烟草专卖法》《中华人民共和国烟草专卖法实施条例》',
	'interface', 'public', 1, '5 years', false,
	'[{"name": "licence_no", "label": "许可证号", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 12},
	  {"name": "enterprise_name", "label": "企业（字号）名称", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "principal", "label": "负责人（经营者）", "type": "string", "required": true, "sensitive": false, "public": false, "max_length": 50},
	  {"name": "business_address", "label": "经营场所", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 300},
	  {"name": "business_scope", "label": "经营范围", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "supply_unit", "label": "供货单位", "type": "string", "required": true, "sensitive": false, "public": true, "max_length": 200},
	  {"name": "valid_from", "label": "有效期起", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "valid_to", "label": "有效期至", "type": "date", "required": true, "sensitive": false, "public": true},
	  {"name": "issued_on", "label": "发证日期", "type": "date", "required": true, "sensitive": false, "public": true}]',
	'{"licence_no": "330106123456", "enterprise_name": "杭州市西湖区示例便利店", "principal": "赵敏", "business_address": "浙江省杭州市西湖区古荡街道示例路00号", "business_scope": "卷烟零售、雪茄烟零售", "supply_unit": "浙江省烟草公司杭州市公司", "valid_from": "2025-01-08", "valid_to": "2030-01-07", "issued_on": "2025-01-08"}',
	NULL);

------------------------------------------------------------------------------
-- 关联事项: the service items each licence type is related to
------------------------------------------------------------------------------
INSERT INTO ezz.type_service_item (type_code, service_item) VALUES
	('11330000002481602G001', 'ZJ-SCJG-0001'),
	('11330000002481602G001', 'ZJ-SCJG-0002'),
	('11330000002481602G002', 'ZJ-SCJG-0003'),
	('11330000002481602G003', 'ZJ-SCJG-0004'),
	('11330000002481602G004', 'ZJ-SCJG-0005'),
	('11330000MB1957E06A001', 'ZJ-YJJG-0001'),
	('11330000MB1957E06A001', 'ZJ-SCJG-0006'),
	('11330000002481127M001', 'ZJ-JS-0001'),
	('11330000002481127M002', 'ZJ-JS-0002'),
	('11330000002481311D001', 'ZJ-ZRZY-0001'),
	('11330000002481311D001', 'ZJ-BDC-0001'),
	('11330000002481311D002', 'ZJ-ZRZY-0002'),
	('11330000002481311D003', 'ZJ-ZRZY-0003'),
	('11330000002481477U001', 'ZJ-WJ-0001'),
	('11330000002481477U002', 'ZJ-WJ-0002'),
	('11330000002481477U003', 'ZJ-WJ-0003'),
	('11330000002481477U004', 'ZJ-WJ-0004'),
	('11330000002481477U005', 'ZJ-WJ-0005'),
	('11330000002481477U006', 'ZJ-WJ-0006'),
	('113300000024808377001', 'ZJ-MZ-0001'),
	('113300000024808377002', 'ZJ-MZ-0002'),
	('113300000024808377003', 'ZJ-MZ-0003'),
	('113300000024808377004', 'ZJ-MZ-0004'),
	('113300000024812079001', 'ZJ-JT-0001'),
	('113300000024812079002', 'ZJ-JT-0002'),
	('113300000024812079003', 'ZJ-JT-0003'),
	('11330000002480757K001', 'ZJ-GA-0001'),
	('11330000002480757K002', 'ZJ-GA-0002'),
	('11330000002480757K003', 'ZJ-GA-0003'),
	('11330000002480757K004', 'ZJ-GA-0004'),
	('113300000024810472001', 'ZJ-RS-0002'),
	('113300000024810472002', 'ZJ-RS-0003'),
	('113300000024810472003', 'ZJ-RS-0005'),
	('11330000002480597C001', 'ZJ-JY-0001'),
	('11330000002480597C002', 'ZJ-JY-0003'),
	('113300000024813978001', 'ZJ-STHJ-0001'),
	('11330000002480917T001', 'ZJ-SF-0001'),
	('13330000470002975A001', 'ZJ-CL-0001'),
	('11330000002480327R001', 'ZJ-XWCB-0001'),
	('113300004700053754001', 'ZJ-YC-0001');
------------------------------------------------------------------------------
-- 发证清单 (an entry without rows in ezz.issuance_item covers all of the type's related items)
------------------------------------------------------------------------------
INSERT INTO ezz.issuance_list (department, type_code, valid_from, valid_to) VALUES
	('11330000002481602G', '11330000002481602G001', '2025-01-01', NULL),	-- 浙江省市场监督管理局: 营业执照
	('11330100002502717P', '11330000002481602G001', '2025-01-01', NULL),	-- 杭州市市场监督管理局: 营业执照
	('11330105MB1B28400H', '11330000002481602G001', '2025-01-01', NULL),	-- 杭州市拱墅区市场监督管理局: 营业执照
	('11330102MB1B16733D', '11330000002481602G001', '2025-01-01', NULL),	-- 杭州市上城区市场监督管理局: 营业执照
	('11330114MB1C3R513P', '11330000002481602G001', '2025-01-01', NULL),	-- 杭州市钱塘区市场监督管理局: 营业执照
	('113302000025130376', '11330000002481602G001', '2025-01-01', NULL),	-- 宁波市市场监督管理局: 营业执照
	('11330105MB1B28400H', '11330000002481602G002', '2025-01-01', NULL),	-- 杭州市拱墅区市场监督管理局: 食品经营许可证
	('11330102MB1B16733D', '11330000002481602G002', '2025-01-01', NULL),	-- 杭州市上城区市场监督管理局: 食品经营许可证
	('11330114MB1C3R513P', '11330000002481602G002', '2025-01-01', NULL),	-- 杭州市钱塘区市场监督管理局: 食品经营许可证
	('113302000025130376', '11330000002481602G002', '2025-01-01', NULL),	-- 宁波市市场监督管理局: 食品经营许可证
	('11330100002502717P', '11330000002481602G003', '2025-01-01', NULL),	-- 杭州市市场监督管理局: 食品生产许可证
	('11330000002481602G', '11330000002481602G003', '2025-01-01', NULL),	-- 浙江省市场监督管理局: 食品生产许可证
	('11330100002502717P', '11330000002481602G004', '2025-01-01', NULL),	-- 杭州市市场监督管理局: 特种设备使用登记证
	('113302000025130376', '11330000002481602G004', '2025-01-01', NULL),	-- 宁波市市场监督管理局: 特种设备使用登记证
	('11330000MB1957E06A', '11330000MB1957E06A001', '2025-01-01', NULL),	-- 浙江省药品监督管理局: 药品经营许可证
	('11330100002502717P', '11330000MB1957E06A001', '2025-01-01', NULL),	-- 杭州市市场监督管理局: 药品经营许可证
	('11330000002481127M', '11330000002481127M001', '2025-01-01', NULL),	-- 浙江省住房和城乡建设厅: 建筑施工企业安全生产许可证
	('11330000002481127M', '11330000002481127M002', '2025-01-01', NULL),	-- 浙江省住房和城乡建设厅: 建筑业企业资质证书
	('113301000025004631', '11330000002481127M002', '2025-01-01', NULL),	-- 杭州市城乡建设委员会: 建筑业企业资质证书
	('11330100MB1A883655', '11330000002481311D001', '2025-01-01', NULL),	-- 杭州市规划和自然资源局: 不动产权证书
	('12330200MB0M66202A', '11330000002481311D001', '2025-01-01', NULL),	-- 宁波市不动产登记中心: 不动产权证书
	('11330100MB1A883655', '11330000002481311D002', '2025-01-01', NULL),	-- 杭州市规划和自然资源局: 不动产登记证明
	('12330200MB0M66202A', '11330000002481311D002', '2025-01-01', NULL),	-- 宁波市不动产登记中心: 不动产登记证明
	('11330100MB1A883655', '11330000002481311D003', '2025-01-01', NULL),	-- 杭州市规划和自然资源局: 建设工程规划许可证
	('11330100MB1A779065', '11330000002481477U001', '2025-01-01', NULL),	-- 杭州市卫生健康委员会: 出生医学证明
	('11330100MB1A779065', '11330000002481477U002', '2025-01-01', NULL),	-- 杭州市卫生健康委员会: 医师执业证书
	('11330000002481477U', '11330000002481477U002', '2025-01-01', NULL),	-- 浙江省卫生健康委员会: 医师执业证书
	('11330100MB1A779065', '11330000002481477U003', '2025-01-01', NULL),	-- 杭州市卫生健康委员会: 护士执业证书
	('11330100MB1A779065', '11330000002481477U004', '2025-01-01', NULL),	-- 杭州市卫生健康委员会: 医疗机构执业许可证
	('11330000002481477U', '11330000002481477U004', '2025-01-01', NULL),	-- 浙江省卫生健康委员会: 医疗机构执业许可证
	('11330100MB1A779065', '11330000002481477U005', '2025-01-01', NULL),	-- 杭州市卫生健康委员会: 公共场所卫生许可证
	('11330100MB1A779065', '11330000002481477U006', '2025-01-01', NULL),	-- 杭州市卫生健康委员会: 放射诊疗许可证
	('11330100002500893T', '113300000024808377001', '2025-01-01', NULL),	-- 杭州市民政局: 结婚证
	('113301060025221798', '113300000024808377001', '2025-01-01', NULL),	-- 杭州市西湖区民政局: 结婚证
	('11330100002500893T', '113300000024808377002', '2025-01-01', NULL),	-- 杭州市民政局: 离婚证
	('113301060025221798', '113300000024808377002', '2025-01-01', NULL),	-- 杭州市西湖区民政局: 离婚证
	('11330100002500893T', '113300000024808377003', '2025-01-01', NULL),	-- 杭州市民政局: 社会团体法人登记证书
	('113300000024808377', '113300000024808377003', '2025-01-01', NULL),	-- 浙江省民政厅: 社会团体法人登记证书
	('11330100002500893T', '113300000024808377004', '2025-01-01', NULL),	-- 杭州市民政局: 民办非企业单位登记证书
	('113300000024808377', '113300000024808377004', '2025-01-01', NULL),	-- 浙江省民政厅: 民办非企业单位登记证书
	('11330300002548176D', '113300000024812079001', '2025-01-01', NULL),	-- 温州市交通运输局: 道路运输经营许可证
	('11330300002548176D', '113300000024812079002', '2025-01-01', NULL),	-- 温州市交通运输局: 道路运输证
	('11330300002548176D', '113300000024812079003', '2025-01-01', NULL),	-- 温州市交通运输局: 道路运输从业人员从业资格证
	('113301000025011839', '11330000002480757K001', '2025-01-01', NULL),	-- 杭州市公安局: 居民身份证
	('113301000025011839', '11330000002480757K002', '2025-01-01', NULL),	-- 杭州市公安局: 户口簿
	('113301000025011839', '11330000002480757K003', '2025-01-01', NULL),	-- 杭州市公安局: 居住证
	('113301000025011839', '11330000002480757K004', '2025-01-01', NULL),	-- 杭州市公安局: 机动车驾驶证
	('11330100MB1A651201', '113300000024810472001', '2025-01-01', NULL),	-- 杭州市人力资源和社会保障局: 社会保障卡
	('11330100MB1A651201', '113300000024810472002', '2025-01-01', NULL),	-- 杭州市人力资源和社会保障局: 职业资格证书
	('113300000024810472', '113300000024810472002', '2025-01-01', NULL),	-- 浙江省人力资源和社会保障厅: 职业资格证书
	('11330100MB1A651201', '113300000024810472003', '2025-01-01', NULL),	-- 杭州市人力资源和社会保障局: 人力资源服务许可证
	('11330100002500543L', '11330000002480597C001', '2025-01-01', NULL),	-- 杭州市教育局: 教师资格证
	('11330100002500543L', '11330000002480597C002', '2025-01-01', NULL),	-- 杭州市教育局: 民办学校办学许可证
	('11330100MB1A91249Y', '113300000024813978001', '2025-01-01', NULL),	-- 杭州市生态环境局: 排污许可证
	('11330000002480917T', '11330000002480917T001', '2025-01-01', NULL),	-- 浙江省司法厅: 律师执业证
	('13330100470118222Y', '13330000470002975A001', '2025-01-01', NULL),	-- 杭州市残疾人联合会: 残疾人证
	('11330000002480327R', '11330000002480327R001', '2025-01-01', NULL),	-- 浙江省新闻出版局: 出版物经营许可证
	('11330100470114600N', '113300004700053754001', '2025-01-01', NULL),	-- 杭州市烟草专卖局: 烟草专卖零售许可证
	('11330100MB1B0912XU', '11330000002481602G001', '2019-01-01', '2021-04-08');	-- 杭州市江干区市场监督管理局: 营业执照
-- the service items an entry covers (an entry with none covers all of the type's items)
INSERT INTO ezz.issuance_item (department, type_code, service_item) VALUES
	('11330000002481602G', '11330000002481602G001', 'ZJ-SCJG-0001'),
	('11330000002481602G', '11330000002481602G001', 'ZJ-SCJG-0002'),
	('11330105MB1B28400H', '11330000002481602G002', 'ZJ-SCJG-0003'),
	('11330100002502717P', '11330000002481602G003', 'ZJ-SCJG-0004'),
	('11330100002502717P', '11330000002481602G004', 'ZJ-SCJG-0005'),
	('11330000MB1957E06A', '11330000MB1957E06A001', 'ZJ-YJJG-0001'),
	('11330100002502717P', '11330000MB1957E06A001', 'ZJ-SCJG-0006'),
	('113301000025004631', '11330000002481127M002', 'ZJ-JS-0002'),
	('11330100MB1A883655', '11330000002481311D001', 'ZJ-ZRZY-0001'),
	('12330200MB0M66202A', '11330000002481311D001', 'ZJ-BDC-0001'),
	('113301060025221798', '113300000024808377001', 'ZJ-MZ-0001');

------------------------------------------------------------------------------
-- 用证清单
------------------------------------------------------------------------------
INSERT INTO ezz.usage_list (department, type_code, service_item, actions, valid_from, valid_to, note) VALUES
	('11330100MB1A330659', '11330000002481602G001', 'ZJ-SW-0002', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 国家税务总局杭州市税务局: 营业执照
	('11330100MB1A330659', '11330000002480757K001', 'ZJ-SW-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 国家税务总局杭州市税务局: 居民身份证
	('11330100MB1A330659', '11330000002481477U001', 'ZJ-SW-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 国家税务总局杭州市税务局: 出生医学证明
	('11330100MB1A330659', '113300000024808377001', 'ZJ-SW-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 国家税务总局杭州市税务局: 结婚证
	('11330100MB1A330659', '11330000002481311D001', 'ZJ-SW-0003', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 国家税务总局杭州市税务局: 不动产权证书
	('11330100MB1A330659', '11330000002481311D002', 'ZJ-SW-0003', '{verify}', '2025-01-01', NULL, NULL),	-- 国家税务总局杭州市税务局: 不动产登记证明
	('11330100MB1A651201', '11330000002480757K001', 'ZJ-RS-0001', '{verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市人力资源和社会保障局: 居民身份证
	('11330100MB1A651201', '11330000002481602G001', 'ZJ-RS-0001', '{verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市人力资源和社会保障局: 营业执照
	('11330100MB1A651201', '11330000002480757K002', 'ZJ-RS-0002', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市人力资源和社会保障局: 户口簿
	('11330100MB1A651201', '113300000024810472002', 'ZJ-RS-0004', '{verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市人力资源和社会保障局: 职业资格证书
	('12330100470112090C', '11330000002480757K001', 'ZJ-GJJ-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州住房公积金管理中心: 居民身份证
	('12330100470112090C', '11330000002481311D001', 'ZJ-GJJ-0001', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 杭州住房公积金管理中心: 不动产权证书
	('12330100470112090C', '113300000024808377001', 'ZJ-GJJ-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州住房公积金管理中心: 结婚证
	('12330100470112090C', '11330000002481311D001', 'ZJ-GJJ-0002', '{view,verify,data,download}', '2025-01-01', NULL, NULL),	-- 杭州住房公积金管理中心: 不动产权证书
	('12330100470112090C', '11330000002481311D002', 'ZJ-GJJ-0002', '{view,verify,download}', '2025-01-01', NULL, NULL),	-- 杭州住房公积金管理中心: 不动产登记证明
	('12330100470112090C', '113300000024808377001', 'ZJ-GJJ-0002', '{view,verify,download}', '2025-01-01', NULL, NULL),	-- 杭州住房公积金管理中心: 结婚证
	('12330100470112090C', '113300000024808377002', 'ZJ-GJJ-0002', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州住房公积金管理中心: 离婚证
	('12330100470112090C', '113300000024810472001', 'ZJ-GJJ-0001', '{verify}', '2025-01-01', '2025-06-30', '试点期满，未续期'),	-- 杭州住房公积金管理中心: 社会保障卡
	('12330200MB0M66202A', '11330000002480757K001', 'ZJ-BDC-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 宁波市不动产登记中心: 居民身份证
	('12330200MB0M66202A', '11330000002481602G001', 'ZJ-BDC-0001', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 宁波市不动产登记中心: 营业执照
	('12330200MB0M66202A', '113300000024808377001', 'ZJ-BDC-0001', '{view,verify,download}', '2025-01-01', NULL, NULL),	-- 宁波市不动产登记中心: 结婚证
	('12330200MB0M66202A', '113300000024808377002', 'ZJ-BDC-0001', '{view,verify,download}', '2025-01-01', NULL, NULL),	-- 宁波市不动产登记中心: 离婚证
	('12330200MB0M66202A', '11330000002480757K002', 'ZJ-BDC-0001', '{view,verify}', '2025-01-01', '2025-06-30', '2025年上半年专项授权，已到期'),	-- 宁波市不动产登记中心: 户口簿
	('12330100MB0P11757G', '11330000002481602G001', 'ZJ-ZWFW-0002', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市政务服务中心: 营业执照
	('12330100MB0P11757G', '11330000002480757K001', 'ZJ-ZWFW-0002', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市政务服务中心: 居民身份证
	('12330100MB0P11757G', '11330000002481477U001', 'ZJ-ZWFW-0001', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市政务服务中心: 出生医学证明
	('12330100MB0P11757G', '11330000002480757K002', 'ZJ-ZWFW-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市政务服务中心: 户口簿
	('12330100MB0P11757G', '113300000024808377001', 'ZJ-ZWFW-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市政务服务中心: 结婚证
	('12330100MB0P11757G', '11330000002480757K001', 'ZJ-ZWFW-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市政务服务中心: 居民身份证
	('11330100MB1A743500', '11330000002481477U001', 'ZJ-YB-0001', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市医疗保障局: 出生医学证明
	('11330100MB1A743500', '11330000002480757K001', 'ZJ-YB-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市医疗保障局: 居民身份证
	('11330100MB1A743500', '11330000002480757K002', 'ZJ-YB-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市医疗保障局: 户口簿
	('11330100002500543L', '11330000002480757K002', 'ZJ-JY-0002', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市教育局: 户口簿
	('11330100002500543L', '11330000002480757K003', 'ZJ-JY-0002', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市教育局: 居住证
	('11330100002500543L', '11330000002481311D001', 'ZJ-JY-0002', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市教育局: 不动产权证书
	('11330100002500543L', '11330000002481477U001', 'ZJ-JY-0002', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市教育局: 出生医学证明
	('11330100002500543L', '11330000002480757K001', 'ZJ-JY-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市教育局: 居民身份证
	('11330100002500893T', '11330000002480757K001', 'ZJ-MZ-0001', '{verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市民政局: 居民身份证
	('11330100002500893T', '11330000002480757K002', 'ZJ-MZ-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市民政局: 户口簿
	('11330100002500893T', '113300000024808377001', 'ZJ-MZ-0002', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市民政局: 结婚证
	('11330100002500893T', '11330000002480757K001', 'ZJ-MZ-0003', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市民政局: 居民身份证
	('11330105MB1B28400H', '11330000002480757K001', 'ZJ-SCJG-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市拱墅区市场监督管理局: 居民身份证
	('11330105MB1B28400H', '11330000002481311D001', 'ZJ-SCJG-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市拱墅区市场监督管理局: 不动产权证书
	('11330105MB1B28400H', '11330000002481602G001', 'ZJ-SCJG-0003', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市拱墅区市场监督管理局: 营业执照
	('11330100002502717P', '11330000002480757K001', 'ZJ-SCJG-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市市场监督管理局: 居民身份证
	('11330100002502717P', '11330000002481602G001', 'ZJ-SCJG-0005', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市市场监督管理局: 营业执照
	('11330100MB1A883655', '11330000002481602G001', 'ZJ-ZRZY-0001', '{verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市规划和自然资源局: 营业执照
	('11330100MB1A883655', '11330000002480757K001', 'ZJ-ZRZY-0001', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市规划和自然资源局: 居民身份证
	('11330100MB1A883655', '113300000024808377001', 'ZJ-ZRZY-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市规划和自然资源局: 结婚证
	('11330100MB1A883655', '113300000024808377002', 'ZJ-ZRZY-0001', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市规划和自然资源局: 离婚证
	('113301000025011839', '11330000002481477U001', 'ZJ-GA-0002', '{view,verify,data}', '2025-01-01', NULL, NULL),	-- 杭州市公安局: 出生医学证明
	('113301000025011839', '113300000024808377001', 'ZJ-GA-0002', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市公安局: 结婚证
	('113301000025011839', '11330000002481311D001', 'ZJ-GA-0003', '{view,verify}', '2025-01-01', NULL, NULL),	-- 杭州市公安局: 不动产权证书
	('113301000025011839', '11330000002481602G001', 'ZJ-GA-0003', '{verify}', '2025-01-01', NULL, NULL),	-- 杭州市公安局: 营业执照
	('113302000025130376', '11330000002480757K001', 'ZJ-SCJG-0001', '{verify}', '2025-01-01', NULL, NULL);	-- 宁波市市场监督管理局: 居民身份证

------------------------------------------------------------------------------
-- 证照编号: the face field that carries each type's licence number (types whose
-- number is a personal identity number keep the identifier's serial instead)
------------------------------------------------------------------------------
UPDATE ezz.licence_type t SET number_field = (
	SELECT f->>'name' FROM jsonb_array_elements(t.field_schema) WITH ORDINALITY x(f, o)
	WHERE f->>'name' IN ('licence_no', 'certificate_no', 'registration_no', 'household_no', 'unified_code')
	  AND NOT coalesce((f->>'sensitive')::boolean, false)
	ORDER BY array_position(ARRAY['licence_no', 'certificate_no', 'registration_no', 'household_no', 'unified_code'], f->>'name')
	LIMIT 1);
COMMIT;
