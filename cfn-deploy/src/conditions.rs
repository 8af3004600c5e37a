//! Evaluating a template's `Conditions` with the values a deployed stack
//! was given, to know which resources it should have (the effect check).
//!
//! Only what can be decided from parameter values, pseudo parameters and
//! mappings is decided; anything else (a `Ref` to an unknown value, a
//! `NoEcho` parameter shown as `****`, a function that needs AWS) leaves the
//! condition undecided, and the caller says so instead of guessing.

use cfn_core::{Expr, Intrinsic, Template};
use indexmap::IndexMap;

/// The values conditions are evaluated with: parameter values (as the
/// stack reports them) and pseudo parameters (`AWS::Region`, ...).
#[derive(Debug, Clone, Default)]
pub(crate) struct Values {
    /// Parameter and pseudo parameter values, by name.
    pub(crate) refs: IndexMap<String, String>,
}

impl Values {
    /// Values from the stack's parameters and its id (an ARN that names the
    /// partition, region and account). Template defaults fill parameters
    /// the stack did not report; `****` (a `NoEcho` value) stays unknown.
    pub(crate) fn for_stack(
        template: &Template,
        stack_name: &str,
        stack_id: &str,
        parameters: &[(String, String)],
    ) -> Self {
        let mut refs = IndexMap::new();
        for (name, p) in &template.parameters {
            if let Some(Expr::String(d)) = &p.default {
                refs.insert(name.to_string(), d.clone());
            }
        }
        for (k, v) in parameters {
            if v == "****" {
                refs.shift_remove(k);
            } else {
                refs.insert(k.clone(), v.clone());
            }
        }
        refs.insert("AWS::StackName".into(), stack_name.to_owned());
        let arn: Vec<&str> = stack_id.split(':').collect();
        if arn.len() >= 6 && arn[0] == "arn" {
            refs.insert("AWS::Partition".into(), arn[1].to_owned());
            refs.insert("AWS::Region".into(), arn[3].to_owned());
            refs.insert("AWS::AccountId".into(), arn[4].to_owned());
            refs.insert("AWS::StackId".into(), stack_id.to_owned());
            let suffix = match arn[1] {
                "aws-cn" => "amazonaws.com.cn",
                _ => "amazonaws.com",
            };
            refs.insert("AWS::URLSuffix".into(), suffix.to_owned());
        }
        Values { refs }
    }
}

/// A condition's value: decided, or why not.
pub(crate) type Decided = Result<bool, String>;

/// Evaluates every condition of the template, in order.
pub(crate) fn evaluate_all(template: &Template, values: &Values) -> IndexMap<String, Decided> {
    let mut out = IndexMap::new();
    for name in template.conditions.keys() {
        let v = condition(template, values, name.as_ref(), 0);
        out.insert(name.to_string(), v);
    }
    out
}

fn condition(template: &Template, values: &Values, name: &str, depth: usize) -> Decided {
    if depth > 32 {
        return Err(format!("condition `{name}` refers to itself"));
    }
    let Some(expr) = template.conditions.get(name) else {
        return Err(format!("condition `{name}` is not declared"));
    };
    boolean(template, values, expr, depth + 1)
}

fn boolean(template: &Template, values: &Values, e: &Expr, depth: usize) -> Decided {
    match e {
        Expr::Bool(b) => Ok(*b),
        Expr::String(s) if s == "true" => Ok(true),
        Expr::String(s) if s == "false" => Ok(false),
        Expr::Fn(f) => match f.as_ref() {
            Intrinsic::Equals(a, b) => {
                Ok(scalar(template, values, a)? == scalar(template, values, b)?)
            }
            Intrinsic::Not(x) => Ok(!boolean(template, values, x, depth)?),
            Intrinsic::And(xs) => {
                let mut all = true;
                for x in xs {
                    all &= boolean(template, values, x, depth)?;
                }
                Ok(all)
            }
            Intrinsic::Or(xs) => {
                let mut any = false;
                for x in xs {
                    any |= boolean(template, values, x, depth)?;
                }
                Ok(any)
            }
            Intrinsic::Condition(name) => condition(template, values, name, depth),
            other => Err(format!("`{}` cannot be evaluated here", other.name())),
        },
        _ => Err("a condition that is not a condition function".into()),
    }
}

/// A string value: a literal, a known `Ref`, a mapping value.
fn scalar(template: &Template, values: &Values, e: &Expr) -> Result<String, String> {
    match e {
        Expr::String(s) => Ok(s.clone()),
        Expr::Number(n) => Ok(n.to_string()),
        Expr::Bool(b) => Ok(b.to_string()),
        Expr::Fn(f) => match f.as_ref() {
            Intrinsic::Ref(name) => values
                .refs
                .get(name)
                .cloned()
                .ok_or_else(|| format!("the value of `{name}` is not known")),
            Intrinsic::FindInMap {
                map,
                top_key,
                second_key,
                ..
            } => {
                let map = scalar(template, values, map)?;
                let top = scalar(template, values, top_key)?;
                let second = scalar(template, values, second_key)?;
                let found = template
                    .mappings
                    .get(map.as_str())
                    .and_then(|m| m.get(&top))
                    .and_then(|m| m.get(&second));
                match found {
                    Some(v) => scalar(template, values, v),
                    None => Err(format!("mapping `{map}` has no `{top}`/`{second}`")),
                }
            }
            other => Err(format!("`{}` cannot be evaluated here", other.name())),
        },
        _ => Err("a list or a map where a string was expected".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(src: &str) -> Template {
        Template::from_yaml(src).unwrap()
    }

    #[test]
    fn conditions_follow_parameters_pseudo_parameters_and_mappings() {
        let tpl = t("Parameters:
  Env: {Type: String, Default: dev}
  Secret: {Type: String, NoEcho: true}
Mappings:
  Sizes: {dev: {Big: 'no'}, prod: {Big: 'yes'}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  InUsEast: !Equals [!Ref 'AWS::Region', us-east-1]
  Big: !Equals [!FindInMap [Sizes, !Ref Env, Big], 'yes']
  Both: !And [!Condition NotProd, !Condition InUsEast]
  HasSecret: !Equals [!Ref Secret, x]
Resources:
  T: {Type: AWS::SNS::Topic}
");
        let v = Values::for_stack(
            &tpl,
            "s",
            "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
            &[("Secret".into(), "****".into())],
        );
        let all = evaluate_all(&tpl, &v);
        assert_eq!(all["IsProd"], Ok(false));
        assert_eq!(all["NotProd"], Ok(true));
        assert_eq!(all["InUsEast"], Ok(true));
        assert_eq!(all["Big"], Ok(false));
        assert_eq!(all["Both"], Ok(true));
        assert_eq!(
            all["HasSecret"],
            Err("the value of `Secret` is not known".into())
        );
        let v = Values::for_stack(&tpl, "s", "s", &[("Env".into(), "prod".into())]);
        let all = evaluate_all(&tpl, &v);
        assert_eq!(all["IsProd"], Ok(true));
        assert_eq!(all["Big"], Ok(true));
        assert!(all["InUsEast"].is_err(), "no region without an ARN");
    }
}
