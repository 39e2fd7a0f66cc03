-- The directory: activity fields, citizen-activity groups, advisors and the plan's actions.
-- Later migrations add consultations, their events, the outbox, progress and schedule runs.

CREATE TABLE activity_fields (
    no      INTEGER PRIMARY KEY CHECK (no BETWEEN 1 AND 20),
    name_ja TEXT NOT NULL,
    name_en TEXT NOT NULL
);

INSERT INTO activity_fields (no, name_ja, name_en) VALUES
    (1,  '保健・医療・福祉', 'Health, medical care and welfare'),
    (2,  '社会教育', 'Social education'),
    (3,  'まちづくり', 'Community development'),
    (4,  '観光', 'Tourism'),
    (5,  '農山漁村・中山間地域', 'Rural and mountain communities'),
    (6,  '学術・文化・芸術・スポーツ', 'Science, culture, arts and sports'),
    (7,  '環境の保全', 'Environmental conservation'),
    (8,  '災害救援', 'Disaster relief'),
    (9,  '地域安全', 'Community safety'),
    (10, '人権・平和', 'Human rights and peace'),
    (11, '国際協力', 'International cooperation'),
    (12, '男女共同参画', 'Gender equality'),
    (13, '子どもの健全育成', 'Healthy development of children'),
    (14, '情報化社会', 'Information society'),
    (15, '科学技術', 'Science and technology'),
    (16, '経済活動の活性化', 'Economic revitalisation'),
    (17, '職業能力・雇用機会', 'Job skills and employment'),
    (18, '消費者の保護', 'Consumer protection'),
    (19, '団体の運営・活動への連絡・助言・援助 (中間支援)', 'Support for civic groups (intermediary support)'),
    (20, '都道府県・指定都市の条例で定める活動', 'Activities set by prefectural or city ordinance');

CREATE TABLE organizations (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    name_kana      TEXT NOT NULL DEFAULT '',
    form           TEXT NOT NULL DEFAULT '',
    area           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    keywords       TEXT NOT NULL DEFAULT '',   -- ';'-separated, as in the registry
    target         TEXT NOT NULL DEFAULT '',   -- ';'-separated
    recruiting     INTEGER NOT NULL CHECK (recruiting IN (0, 1)),
    contact        TEXT NOT NULL DEFAULT '',
    name_en        TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL            -- unix seconds
);

-- Primary field first (position 0).
CREATE TABLE organization_fields (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    field_no        INTEGER NOT NULL REFERENCES activity_fields (no),
    position        INTEGER NOT NULL,
    PRIMARY KEY (organization_id, field_no)
);
CREATE INDEX organization_fields_by_field ON organization_fields (field_no);

CREATE TABLE advisors (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL,
    discord_user_id TEXT NOT NULL,
    serves          TEXT NOT NULL CHECK (serves IN ('citizen', 'staff', 'both')),
    specialties     TEXT NOT NULL DEFAULT '',  -- ';'-separated
    languages       TEXT NOT NULL,             -- ';'-separated ISO 639-1 codes
    capacity        INTEGER NOT NULL CHECK (capacity >= 0),
    active          INTEGER NOT NULL CHECK (active IN (0, 1)),
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX advisors_by_discord_user ON advisors (discord_user_id);

CREATE TABLE advisor_fields (
    advisor_id TEXT NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    field_no   INTEGER NOT NULL REFERENCES activity_fields (no),
    position   INTEGER NOT NULL,
    PRIMARY KEY (advisor_id, field_no)
);

CREATE TABLE plan_visions (
    no    INTEGER PRIMARY KEY NOT NULL,
    title TEXT NOT NULL
);

CREATE TABLE plan_actions (
    no         INTEGER PRIMARY KEY NOT NULL CHECK (no >= 1),
    title      TEXT NOT NULL,
    vision_no  INTEGER NOT NULL REFERENCES plan_visions (no),
    need       TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);

-- Deferred so an import can write actions in any order inside its transaction.
CREATE TABLE plan_action_related (
    action_no  INTEGER NOT NULL REFERENCES plan_actions (no) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    related_no INTEGER NOT NULL REFERENCES plan_actions (no) DEFERRABLE INITIALLY DEFERRED,
    position   INTEGER NOT NULL,
    PRIMARY KEY (action_no, related_no)
);

-- A person's chosen reply language (otherwise taken from each message).
CREATE TABLE user_preferences (
    user_id  TEXT PRIMARY KEY NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('ja', 'en'))
);
