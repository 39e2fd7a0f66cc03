//! Compiles the trimmed IPADIC sources that scripts/build-dictionary.sh prepares into vibrato's
//! binary dictionary. Usage: `cargo run --release --example build_dictionary -- SRC_DIR OUT`
//! where SRC_DIR holds lex.csv, matrix.def, char.def and unk.def (UTF-8).

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(src), Some(out)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: build_dictionary SRC_DIR OUT");
    };
    let src = PathBuf::from(src);
    let open = |name: &str| File::open(src.join(name));
    let dictionary = vibrato::SystemDictionaryBuilder::from_readers(
        open("lex.csv")?,
        open("matrix.def")?,
        open("char.def")?,
        open("unk.def")?,
    )?;
    dictionary.write(BufWriter::new(File::create(out)?))?;
    Ok(())
}
