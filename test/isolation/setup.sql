-- test/isolation/setup.sql — run once by test/suites into the database the
-- isolation specs use (ezz and the sample province already loaded): logins
-- bound to departments, signing keys, and the helpers the specs share.
\set ON_ERROR_STOP 1
SET search_path = public, ezz;
CREATE ROLE iso_gongshu LOGIN IN ROLE ezz_issuer;		-- 杭州市拱墅区市场监督管理局
CREATE ROLE iso_gongshu2 LOGIN IN ROLE ezz_issuer;		-- a second login of the same department
SELECT ezz.bind_login('iso_gongshu', '11330105MB1B28400H'), ezz.bind_login('iso_gongshu2', '11330105MB1B28400H');
SELECT ezz.create_key('11330105MB1B28400H');

-- the licences a spec works on, by name
CREATE TABLE public.iso_lic (name text PRIMARY KEY, id ezz.licence_ident NOT NULL);
CREATE TABLE public.iso_face AS SELECT face_sample AS face FROM ezz.licence_type WHERE code = '11330000002481602G002';
GRANT ALL ON public.iso_lic TO PUBLIC;
GRANT SELECT ON public.iso_face TO PUBLIC;

-- issue a food business licence 食品经营许可证 as the session's department
CREATE FUNCTION public.iso_issue(n text) RETURNS void LANGUAGE sql SET search_path = public, ezz AS $$
	INSERT INTO public.iso_lic SELECT n, ezz.issue('11330000002481602G002',
		'{"role": "持证人", "type": "legal_person", "id_type": "001", "id": "91330105MA2H2H2H2A", "name": "杭州示例餐饮有限公司"}',
		f.face, '2025-06-01', '2030-05-31')
	FROM public.iso_face f
$$;

-- One lifecycle call on a named licence; 'ok: <what it returned>' or
-- '<SQLSTATE>: <message>', with identifiers replaced by <id> so that the
-- output does not depend on serials.
CREATE FUNCTION public.iso_do(action text, n text) RETURNS text LANGUAGE plpgsql SET search_path = public, ezz AS $$
DECLARE
	lid ezz.licence_ident := (SELECT id FROM public.iso_lic WHERE name = n);
	result text;
BEGIN
	result := CASE action
		WHEN 'revoke' THEN ezz.revoke(lid, 'revoked by ' || session_user)::text
		WHEN 'suspend' THEN ezz.suspend(lid, 'suspended by ' || session_user)::text
		WHEN 'change' THEN 'version ' || ezz.ident_version(ezz.change(lid, '{"legal_representative": "王五"}', '法定代表人变更'))
		WHEN 'renew' THEN 'version ' || ezz.ident_version(ezz.renew(lid, '2035-05-31', '延续'))
	END;
	RETURN 'ok: ' || result;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '1\.2\.156\.3005\.2\.[0-9A-Z.]+', '<id>', 'g');
END
$$;

-- the history of every version of a named licence
CREATE FUNCTION public.iso_history(n text)
	RETURNS TABLE (version int, from_status text, to_status text, event text, actor text)
	LANGUAGE sql SET search_path = public, ezz AS $$
	SELECT ezz.ident_version(h.licence), h.from_status::text, h.to_status::text, h.event::text, h.actor
	FROM ezz.status_history h
	WHERE ezz.ident_with_version(h.licence, 1) = (SELECT ezz.ident_with_version(id, 1) FROM public.iso_lic WHERE name = n)
	ORDER BY h.id
$$;

-- a using department's login (杭州住房公积金管理中心) on its usage list for
-- food business licences, with a function-based grant (sharing_facts.spec)
CREATE ROLE iso_consumer LOGIN IN ROLE ezz_consumer;
SELECT ezz.bind_login('iso_consumer', '12330100470112090C');
INSERT INTO ezz.service_item (code, name, department) VALUES ('ZJ-ISO-0001', '隔离测试事项', '12330100470112090C');
INSERT INTO ezz.usage_list (department, type_code, service_item, actions, valid_from)
VALUES ('12330100470112090C', '11330000002481602G002', 'ZJ-ISO-0001', '{view,verify}', '2025-01-01');
INSERT INTO ezz.authorisation (mode, granted_by, granted_by_department, grantee_department, type_code, service_items, actions,
							   valid_from, valid_to)
VALUES ('function', 'iso', '11330000MB1946A028', '12330100470112090C', '11330000002481602G002', '{ZJ-ISO-0001}',
		'{view,verify}', now() - interval '1 day', now() + interval '1 year');

-- One use by the session's login: 'verify' a named licence or 'search' the
-- holder's food business licences; 'ok: <valid, or whether it listed any>'
-- or '<SQLSTATE>: <message>' (identifiers as <id>, counts of licences as N:
-- earlier specs' licences of the same holder are listed too).
CREATE FUNCTION public.iso_use(action text, n text) RETURNS text LANGUAGE plpgsql SET search_path = public, ezz AS $$
DECLARE
	lid ezz.licence_ident := (SELECT id FROM public.iso_lic WHERE name = n);
	result text;
BEGIN
	result := CASE action
		WHEN 'verify' THEN (ezz.verify(lid, 'ZJ-ISO-0001', '隔离测试：核验')).valid::text
		WHEN 'search' THEN (SELECT count(*) > 0 FROM ezz.search('001', '91330105MA2H2H2H2A', '11330000002481602G002', 'ZJ-ISO-0001',
																 '隔离测试：检索'))::text
	END;
	RETURN 'ok: ' || result;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || regexp_replace(regexp_replace(SQLERRM, '1\.2\.156\.3005\.2\.[0-9A-Z.]+', '<id>', 'g'),
											 '\d+ licences', 'N licences', 'g');
END
$$;
