//! Property tests over random templates: parse(render(t)) == t in every
//! format, diff(t, t) is empty, and diff(a, b) mirrors diff(b, a).

use cfn_core::expr::{Expr, ExprMap, Intrinsic};
use cfn_core::{Format, LogicalId, Resource, Template};
use cfn_tools::diff::{diff, ChangeKind, StaticFacts};
use proptest::prelude::*;

fn key() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9]{0,8}"
}

fn scalar() -> impl Strategy<Value = Expr> {
    prop_oneof![
        Just(Expr::Null),
        any::<bool>().prop_map(Expr::Bool),
        any::<i64>().prop_map(|n| Expr::Number(n.into())),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Expr::Number(serde_json::Number::from_f64(f).unwrap())),
        // printable text with YAML-hostile content
        prop_oneof![
            "\\PC{0,12}",
            Just("on".to_string()),
            Just("0777".to_string()),
            Just("12:30".to_string()),
            Just("- x".to_string()),
            Just("a: b".to_string()),
            Just("2010-09-09".to_string()),
            Just(" lead".to_string()),
            Just("multi\nline".to_string()),
        ]
        .prop_map(Expr::String),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    scalar().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Expr::List),
            prop::collection::vec((key(), inner.clone()), 0..4).prop_map(|kv| {
                let m: ExprMap = kv.into_iter().collect();
                // a single-key map named like an intrinsic would parse as one
                if m.len() == 1 && m.keys().any(|k| k == "Ref" || k == "Condition") {
                    Expr::Map(ExprMap::new())
                } else {
                    Expr::Map(m)
                }
            }),
            key().prop_map(|k| Expr::func(Intrinsic::Ref(k))),
            (key(), key()).prop_map(|(r, a)| Expr::func(Intrinsic::GetAtt {
                resource: r,
                attribute: Expr::String(a)
            })),
            "[a-z${}. ]{0,12}".prop_map(|s| Expr::func(Intrinsic::Sub {
                template: s,
                vars: None
            })),
            (",|-", prop::collection::vec(inner.clone(), 0..3)).prop_map(|(d, v)| Expr::func(
                Intrinsic::Join {
                    delimiter: d.to_string(),
                    values: Expr::List(v)
                }
            )),
            (0i64..5, inner.clone()).prop_map(|(i, l)| Expr::func(Intrinsic::Select {
                index: i.into(),
                list: l
            })),
            (key(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| Expr::func(Intrinsic::If {
                condition: c,
                then: a,
                otherwise: b
            })),
            inner.clone().prop_map(|e| Expr::func(Intrinsic::Base64(e))),
        ]
    })
}

fn template() -> impl Strategy<Value = Template> {
    prop::collection::vec((key(), prop::collection::vec((key(), expr()), 0..4)), 1..6).prop_map(
        |resources| {
            let mut t = Template::new();
            for (id, props) in resources {
                let mut r = Resource::new("AWS::SNS::Topic");
                if !props.is_empty() {
                    r.properties = Some(props.into_iter().collect());
                }
                t.resources.insert(LogicalId::new(id).unwrap(), r);
            }
            t
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parse_of_render_is_identity(t in template()) {
        for format in [Format::Json, Format::JsonCompact, Format::Yaml] {
            let text = t.render(format);
            let back = Template::parse_str(&text, format, None);
            prop_assert!(back.is_ok(), "{format:?}: {}\n{text}", back.unwrap_err());
            prop_assert_eq!(back.unwrap(), t.clone(), "{:?}\n{}", format, text);
        }
    }

    #[test]
    fn diff_of_a_template_with_itself_is_empty(t in template()) {
        prop_assert!(diff(&t, &t, &StaticFacts::new()).is_empty());
    }

    #[test]
    fn diff_mirrors(a in template(), b in template()) {
        let facts = StaticFacts::new();
        let ab = diff(&a, &b, &facts);
        let ba = diff(&b, &a, &facts);
        let ids = |d: &cfn_tools::diff::TemplateDiff, k: ChangeKind| {
            let mut v: Vec<String> = d.resources.iter().filter(|r| r.kind == k).map(|r| r.id.clone()).collect();
            v.sort();
            v
        };
        prop_assert_eq!(ids(&ab, ChangeKind::Added), ids(&ba, ChangeKind::Removed));
        prop_assert_eq!(ids(&ab, ChangeKind::Removed), ids(&ba, ChangeKind::Added));
        prop_assert_eq!(ids(&ab, ChangeKind::Modified), ids(&ba, ChangeKind::Modified));
        for r in ab.resources.iter().filter(|r| r.kind == ChangeKind::Modified) {
            let other = ba.resources.iter().find(|x| x.id == r.id).unwrap();
            prop_assert_eq!(r.changes.len(), other.changes.len());
            for x in &r.changes {
                let y = other.changes.iter().find(|y| y.path == x.path);
                prop_assert!(y.is_some(), "{} missing in the mirror", x.path);
                let y = y.unwrap();
                prop_assert_eq!(&x.old, &y.new);
                prop_assert_eq!(&x.new, &y.old);
            }
        }
    }
}
