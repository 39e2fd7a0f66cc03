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
    match decode_shift_jis(bytes) {
        Ok(text) => Ok((text, Encoding::ShiftJis)),
        // Neither fits: the bad byte is where the encoding that got further stopped.
        Err(sjis_stop) => Err(DecodeError {
            line: line_at(bytes, utf8_error.valid_up_to().max(sjis_stop)),
        }),
    }
}

/// Shift_JIS (CP932) text, or the offset of the first byte that is not.
fn decode_shift_jis(bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(text),
        encoding_rs::DecoderResult::Malformed(..) => Err(read),
        // The buffer was sized for any Shift_JIS text; growing it is not expected, but fine.
        encoding_rs::DecoderResult::OutputFull => {
            let (text, _, errors) = encoding_rs::SHIFT_JIS.decode(bytes);
            if errors {
                Err(read)
            } else {
                Ok(text.into_owned())
            }
        }
    }
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
    fn a_bad_byte_in_a_shift_jis_file_names_its_own_line() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("id,name\nO1,子ども\nO2,食堂\n");
        let mut bytes = bytes.into_owned();
        bytes.extend_from_slice(b"O3,\x85\x20\n");
        assert_eq!(decode(&bytes).unwrap_err().line, 4);
    }

    #[test]
    fn garbage_names_the_line() {
        let error = decode(b"id,name\nO1,ok\nO2,\xFF\xFF\xFF\n").unwrap_err();
        assert_eq!(error.line, 3);
    }
}
