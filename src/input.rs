//! Lines typed or piped in on standard input, decoded as the registry's files are (UTF-8, or
//! Shift_JIS as a Windows console sends it), without the line ending.

/// One input line's bytes as text; bytes no encoding explains are replaced, never fatal.
pub fn input_line(bytes: &[u8]) -> String {
    let line = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match crate::registry::decode::decode(line) {
        Ok((text, _)) => text,
        Err(_) => String::from_utf8_lossy(line).into_owned(),
    }
}
