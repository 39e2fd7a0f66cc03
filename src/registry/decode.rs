//! Bytes of a registry file → text. Excel saves CSV as UTF-8 with a BOM or as Shift_JIS
//! (really Windows-31J / CP932); tell them apart without asking the person.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    ShiftJis,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::ShiftJis => "Shift_JIS",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error(
    "line {line}: the file is neither UTF-8 nor Shift_JIS (save it from Excel as \"CSV UTF-8\")"
)]
pub struct DecodeError {
    pub line: usize,
}

/// UTF-8 when the bytes are valid UTF-8 (with or without BOM), else CP932 if that decodes cleanly.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|text| (text.to_string(), Encoding::Utf8Bom))
            .map_err(|error| DecodeError {
                line: line_at(rest, error.valid_up_to()),
            });
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((text.to_string(), Encoding::Utf8)),
        Err(error) => error,
    };
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(DecodeError {
            line: line_at(bytes, utf8_error.valid_up_to()),
        });
    }
    Ok((text.into_owned(), Encoding::ShiftJis))
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("名前".as_bytes()).unwrap(),
            ("名前".into(), Encoding::Utf8)
        );
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice("名前".as_bytes());
        assert_eq!(
            decode(&with_bom).unwrap(),
            ("名前".into(), Encoding::Utf8Bom)
        );
    }

    #[test]
    fn shift_jis_is_recognised() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("子ども食堂,①");
        assert_eq!(
            decode(&bytes).unwrap(),
            ("子ども食堂,①".into(), Encoding::ShiftJis)
        );
    }

    #[test]
    fn garbage_names_the_line() {
        let error = decode(b"id,name\nO1,ok\nO2,\xFF\xFF\xFF\n").unwrap_err();
        assert_eq!(error.line, 3);
    }
}
