//! The command table, defined once: Discord's slash commands (with Japanese names) and the
//! console's `/commands` are both generated from it. Each command says who may run it and which
//! handler answers it; the dispatcher enforces the first and calls the second. Descriptions are
//! prompt keys (`cmd.NAME.description`, `cmd.NAME.OPTION`), so both languages come from
//! `prompts/`.

use super::handlers::{consult, general, plan, search};
pub use super::invocation::{
    Access, CommandError, CommandSpec, Invocation, OptionKind, OptionSpec, OptionValue,
};

const NUMBER: OptionSpec = OptionSpec {
    name: "number",
    name_ja: "番号",
    kind: OptionKind::Text,
    required: true,
    positional: true,
    autocomplete: false,
};

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "find",
        access: Access::Anyone,
        access_with: None,
        handler: search::find,
        name_ja: "さがす",
        options: &[
            OptionSpec {
                name: "query",
                name_ja: "ことば",
                kind: OptionKind::Text,
                required: true,
                positional: true,
                autocomplete: true,
            },
            OptionSpec {
                name: "area",
                name_ja: "地区",
                kind: OptionKind::Text,
                required: false,
                positional: false,
                autocomplete: true,
            },
            OptionSpec {
                name: "recruiting",
                name_ja: "募集中のみ",
                kind: OptionKind::Bool,
                required: false,
                positional: false,
                autocomplete: false,
            },
        ],
    },
    CommandSpec {
        name: "consult",
        access: Access::Anyone,
        access_with: None,
        handler: consult::request,
        name_ja: "相談",
        options: &[OptionSpec {
            name: "topic",
            name_ja: "内容",
            kind: OptionKind::Text,
            required: false,
            positional: true,
            autocomplete: false,
        }],
    },
    CommandSpec {
        name: "consultations",
        access: Access::Anyone,
        access_with: None,
        handler: consult::consultations,
        name_ja: "相談一覧",
        options: &[],
    },
    CommandSpec {
        name: "accept",
        access: Access::Advisor,
        access_with: None,
        handler: consult::accept,
        name_ja: "引き受ける",
        options: &[NUMBER],
    },
    CommandSpec {
        name: "decline",
        access: Access::Advisor,
        access_with: None,
        handler: consult::decline,
        name_ja: "断る",
        options: &[NUMBER],
    },
    CommandSpec {
        name: "resolve",
        access: Access::Advisor,
        access_with: None,
        handler: consult::resolve_case,
        name_ja: "解決",
        options: &[
            NUMBER,
            OptionSpec {
                name: "note",
                name_ja: "メモ",
                kind: OptionKind::Text,
                // Left out, it is asked for in a form (private wherever the command was used).
                required: false,
                positional: true,
                autocomplete: false,
            },
        ],
    },
    CommandSpec {
        name: "cancel",
        access: Access::Anyone,
        access_with: None,
        handler: consult::withdraw,
        name_ja: "取り消す",
        options: &[NUMBER],
    },
    CommandSpec {
        name: "assign",
        access: Access::Coordinator,
        access_with: None,
        handler: consult::assign_case,
        name_ja: "割り当て",
        options: &[
            NUMBER,
            OptionSpec {
                name: "advisor",
                name_ja: "アドバイザー",
                kind: OptionKind::Text,
                required: true,
                positional: true,
                autocomplete: false,
            },
        ],
    },
    CommandSpec {
        name: "availability",
        access: Access::Advisor,
        access_with: None,
        handler: consult::availability,
        name_ja: "受付",
        options: &[OptionSpec {
            name: "state",
            name_ja: "状態",
            kind: OptionKind::Choice(&["on", "off"]),
            required: true,
            positional: true,
            autocomplete: false,
        }],
    },
    CommandSpec {
        name: "progress",
        access: Access::Anyone,
        access_with: Some(("status", Access::Staff)),
        handler: plan::progress_command,
        name_ja: "進捗",
        options: &[
            OptionSpec {
                name: "action",
                name_ja: "アクション",
                kind: OptionKind::Text,
                required: true,
                positional: true,
                autocomplete: false,
            },
            OptionSpec {
                name: "status",
                name_ja: "状況",
                kind: OptionKind::Text,
                required: false,
                positional: true,
                autocomplete: false,
            },
            OptionSpec {
                name: "note",
                name_ja: "メモ",
                kind: OptionKind::Text,
                required: false,
                positional: true,
                autocomplete: false,
            },
        ],
    },
    CommandSpec {
        name: "plan",
        access: Access::Anyone,
        access_with: None,
        handler: plan::overview,
        name_ja: "計画",
        options: &[],
    },
    CommandSpec {
        name: "help",
        access: Access::Anyone,
        access_with: None,
        handler: general::help,
        name_ja: "ヘルプ",
        options: &[],
    },
    CommandSpec {
        name: "language",
        access: Access::Anyone,
        access_with: None,
        handler: general::language,
        name_ja: "言語",
        options: &[OptionSpec {
            name: "language",
            name_ja: "言語",
            kind: OptionKind::Choice(&["ja", "en"]),
            required: true,
            positional: true,
            autocomplete: false,
        }],
    },
];

/// The command named `name` in either language.
pub fn command(name: &str) -> Option<&'static CommandSpec> {
    let name = name.to_lowercase();
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.name_ja == name)
}
