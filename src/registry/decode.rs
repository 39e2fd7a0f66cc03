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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is neither UTF-8 nor Shift_JIS (save it from Excel as \"CSV UTF-8\")")]
    Neither { line: usize },
    #[error("this line is {this} but the rest of the file is {file}; save the whole file in one encoding (Excel: \"CSV UTF-8\")")]
    Mixed {
        line: usize,
        this: &'static str,
        file: &'static str,
    },
}

impl DecodeError {
    pub fn line(&self) -> usize {
        match self {
            DecodeError::Neither { line } | DecodeError::Mixed { line, .. } => *line,
        }
    }
}

/// UTF-8 when the bytes are valid UTF-8 (with or without BOM), else CP932 if that decodes
/// cleanly. A file that is partly one and partly the other is refused at the first line that
/// differs, never stored as garbled text.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|text| (text.to_string(), Encoding::Utf8Bom))
            .map_err(|error| mixed_or_neither(rest, error.valid_up_to()));
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((text.to_string(), Encoding::Utf8)),
        Err(error) => error,
    };
    let valid = &bytes[..utf8_error.valid_up_to()];
    if !valid.is_ascii() {
        // Japanese text already read as UTF-8: the file is UTF-8 and this line is not.
        return Err(mixed_or_neither(bytes, utf8_error.valid_up_to()));
    }
    let text = decode_shift_jis(bytes).map_err(|stop| {
        let (start, end) = line_bounds(bytes, stop);
        let line = line_at(bytes, stop);
        match std::str::from_utf8(&bytes[start..end]) {
            Ok(_) => DecodeError::Mixed {
                line,
                this: "UTF-8",
                file: "Shift_JIS",
            },
            Err(_) => DecodeError::Neither { line },
        }
    })?;
    // Shift_JIS decodes most byte soup; a line that is non-ASCII UTF-8 was not Shift_JIS.
    let mut offset = 0;
    for line in bytes.split(|&b| b == b'\n') {
        if !line.is_ascii() && std::str::from_utf8(line).is_ok() {
            return Err(DecodeError::Mixed {
                line: line_at(bytes, offset),
                this: "UTF-8",
                file: "Shift_JIS",
            });
        }
        offset += line.len() + 1;
    }
    Ok((text, Encoding::ShiftJis))
}

/// A UTF-8 file with a bad byte at `stop`: that line is Shift_JIS (mixed), or garbage.
fn mixed_or_neither(bytes: &[u8], stop: usize) -> DecodeError {
    let line = line_at(bytes, stop);
    let (start, end) = line_bounds(bytes, stop);
    if decode_shift_jis(&bytes[start..end]).is_ok() {
        DecodeError::Mixed {
            line,
            this: "Shift_JIS",
            file: "UTF-8",
        }
    } else {
        DecodeError::Neither { line }
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

/// Start and end (exclusive, without the `\n`) of the line holding `offset`.
fn line_bounds(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let end = bytes[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |at| offset + at);
    (start, end)
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
        assert_eq!(decode(&bytes).unwrap_err().line(), 4);
    }

    #[test]
    fn garbage_names_the_line() {
        let error = decode(b"id,name\nO1,ok\nO2,\xFF\xFF\xFF\n").unwrap_err();
        assert_eq!(error, DecodeError::Neither { line: 3 });
        let error = decode("id,name\nO1,子ども\nO2,\u{FF}\n".as_bytes());
        assert!(error.is_ok(), "ÿ is valid UTF-8");
    }

    #[test]
    fn mixed_encodings_are_refused_at_the_line_that_differs() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("id,name\nO1,子ども食堂\n");
        let mut file = sjis.into_owned();
        file.extend_from_slice("O2,ごみ拾い\n".as_bytes());
        let error = decode(&file).unwrap_err();
        assert_eq!(error.line(), 3, "{error}");
        assert!(error.to_string().contains("is UTF-8"), "{error}");

        let mut file = "id,name\nO1,子ども食堂\n".as_bytes().to_vec();
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("O2,ごみ拾い\n");
        file.extend_from_slice(&sjis);
        let error = decode(&file).unwrap_err();
        assert_eq!(error.line(), 3, "{error}");
        assert!(error.to_string().contains("is Shift_JIS"), "{error}");
    }
}
