-- Each agency's place in the administrative hierarchy, read from its name. An official name starts with
-- the places it belongs to, largest first: [province][city][county][township]<body>
-- (浙江省杭州市余杭区仁和街道办事处). The name is matched against that shape from its start, so words such as
-- 城市管理 or 城乡建设 in the body are not mistaken for places; the places seed then fills what the name
-- leaves out (沭阳县 → 江苏省 宿迁市) and tells a county-level city written first (义乌市) from a
-- prefecture-level one.
{%- set province = '\\p{Han}{2,3}省|内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|新疆维吾尔自治区|北京市|天津市|上海市|重庆市' %}
{%- set city = '\\p{Han}{2,3}?市|\\p{Han}{2,8}?自治州|\\p{Han}{2,3}?地区|\\p{Han}{2,4}?盟' %}
{%- set county = '\\p{Han}{2,3}?(?:区|县|旗)|\\p{Han}{2,8}?自治县|\\p{Han}{2,3}?市' %}
{#- A township name must be followed by its government's title, otherwise 城乡 would be a 乡. #}
{%- set township = '(\\p{Han}{2,5}?(?:街道|乡|镇))(?:办事处|人民政府|党工委|党委|$)' %}
{%- set pattern = '^(' ~ province ~ ')?(' ~ city ~ ')?(' ~ county ~ ')?(?:' ~ township ~ ')?' %}
with

agencies as (
    select distinct agency_id, agency_name
    from {{ ref('int_documents_resolved') }}
    where agency_name is not null
),

places as (
    select * from {{ ref('places') }}
),

tokens as (
    select
        agency_id,
        agency_name,
        regexp_extract(
            agency_name, '{{ pattern }}', ['province', 'city', 'county', 'township']
        ) as parts
    from agencies
),

named as (
    select
        agency_id,
        agency_name,
        nullif(parts.province, '') as province_in_name,
        nullif(parts.city, '') as city_in_name,
        nullif(parts.county, '') as county_in_name,
        nullif(parts.township, '') as township_in_name
    from tokens
),

located as (
    select
        named.agency_id,
        named.agency_name,
        coalesce(named.province_in_name, city_place.province, county_place.province) as province,
        case
            -- a county-level city written first (义乌市廿三里街道) belongs to its prefecture (金华市)
            when city_place.level = 'county' then city_place.city
            else coalesce(named.city_in_name, county_place.city)
        end as city,
        coalesce(named.county_in_name, case when city_place.level = 'county' then named.city_in_name end)
            as county,
        named.township_in_name as township
    from named
    left join places as city_place on city_place.place_name = named.city_in_name
    left join places as county_place on county_place.place_name = named.county_in_name
)

select
    agency_id,
    agency_name,
    province,
    city,
    county,
    township,
    case
        when township is not null then 'township'
        when county is not null then 'county'
        when city is not null then 'city'
        when province is not null then 'province'
    end as level,
    -- the government itself or its general office, as opposed to one of its departments
    regexp_matches(agency_name, '(人民政府|人民政府办公厅|人民政府办公室|街道办事处)$') as is_government
from located
