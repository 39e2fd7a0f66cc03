//! A citizen-activity group (市民活動団体) as the registry lists it, as the directory holds it
//! (stored by `crate::db::organizations`).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub name_kana: String,
    pub form: String,
    /// NPO-law activity field numbers (1–20), primary first.
    pub fields: Vec<u8>,
    pub area: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub target: Vec<String>,
    pub recruiting: bool,
    pub contact: String,
    pub name_en: String,
    pub description_en: String,
}
