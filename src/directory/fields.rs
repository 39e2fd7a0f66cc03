//! The 20 activity fields of Japan's NPO law (特定非営利活動促進法 別表), in both languages.
//! The same table is seeded into the store by the first migration.

use crate::lang::Lang;

pub const FIELDS: [(&str, &str); 20] = [
    ("保健・医療・福祉", "Health, medical care and welfare"),
    ("社会教育", "Social education"),
    ("まちづくり", "Community development"),
    ("観光", "Tourism"),
    ("農山漁村・中山間地域", "Rural and mountain communities"),
    (
        "学術・文化・芸術・スポーツ",
        "Science, culture, arts and sports",
    ),
    ("環境の保全", "Environmental conservation"),
    ("災害救援", "Disaster relief"),
    ("地域安全", "Community safety"),
    ("人権・平和", "Human rights and peace"),
    ("国際協力", "International cooperation"),
    ("男女共同参画", "Gender equality"),
    ("子どもの健全育成", "Healthy development of children"),
    ("情報化社会", "Information society"),
    ("科学技術", "Science and technology"),
    ("経済活動の活性化", "Economic revitalisation"),
    ("職業能力・雇用機会", "Job skills and employment"),
    ("消費者の保護", "Consumer protection"),
    (
        "団体の運営・活動への連絡・助言・援助 (中間支援)",
        "Support for civic groups (intermediary support)",
    ),
    (
        "都道府県・指定都市の条例で定める活動",
        "Activities set by prefectural or city ordinance",
    ),
];

/// The field's name in `lang`, or `None` outside 1–20.
pub fn field_name(no: u8, lang: Lang) -> Option<&'static str> {
    let (ja, en) = FIELDS.get(usize::from(no).checked_sub(1)?)?;
    Some(match lang {
        Lang::Ja => ja,
        Lang::En => en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_number() {
        assert_eq!(field_name(13, Lang::Ja), Some("子どもの健全育成"));
        assert_eq!(field_name(7, Lang::En), Some("Environmental conservation"));
        assert_eq!(field_name(0, Lang::Ja), None);
        assert_eq!(field_name(21, Lang::En), None);
    }

    #[tokio::test]
    async fn the_migration_seeds_the_same_table() {
        let pool = crate::store::open_in_memory().await.unwrap();
        let rows: Vec<(i64, String, String)> = crate::db::testing::rows(
            &pool,
            "SELECT no, name_ja, name_en FROM activity_fields ORDER BY no",
        )
        .await;
        assert_eq!(rows.len(), 20);
        for (no, ja, en) in rows {
            assert_eq!(field_name(no as u8, Lang::Ja), Some(ja.as_str()));
            assert_eq!(field_name(no as u8, Lang::En), Some(en.as_str()));
        }
    }
}
