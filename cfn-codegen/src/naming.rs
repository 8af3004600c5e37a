//! Rust names from schema names: `VPCGatewayAttachment` becomes the type
//! `VpcGatewayAttachment` and the module `vpc_gateway_attachment`, following
//! the Rust API guidelines (acronyms are words: `Vpc`, `Kms`, `DbInstance`).

/// Splits a name into words: on non-alphanumeric characters, at
/// lower-to-upper boundaries, and before the last capital of an acronym that
/// is followed by a lowercase letter (`DBInstance` is `DB`, `Instance`).
/// Digits stay with the word before them (`Ipv6`, `V2`, `EC2`).
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = token.chars().collect();
        let mut cur = String::new();
        for i in 0..chars.len() {
            let c = chars[i];
            if !cur.is_empty() && c.is_ascii_uppercase() {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
                {
                    out.push(std::mem::take(&mut cur));
                }
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// `UpperCamelCase` with acronyms as words.
pub fn pascal(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &cs.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect()
}

/// `snake_case`.
pub fn snake(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// A snake_case identifier, raw (`r#type`) when it is a keyword.
pub fn ident(snake_name: &str) -> String {
    if KEYWORDS.contains(&snake_name) {
        format!("r#{snake_name}")
    } else if snake_name.starts_with(|c: char| c.is_ascii_digit()) || snake_name.is_empty() {
        format!("n_{snake_name}")
    } else {
        snake_name.to_owned()
    }
}

/// An enum variant for a schema value (`ip-name` is `IpName`), or `None`
/// when the value gives no usable identifier.
pub fn variant(value: &str) -> String {
    let p = pascal(value);
    let p = if p.is_empty() {
        match value {
            "" => "Empty".to_owned(),
            "*" => "Wildcard".to_owned(),
            _ => "Value".to_owned(),
        }
    } else {
        p
    };
    if p.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{p}")
    } else if p == "Self" {
        "SelfValue".to_owned()
    } else {
        p
    }
}

/// Names to try, in order, for a nested item of property `prop` (already
/// `UpperCamelCase`) inside `parent`: the property's name, then the parent's
/// name before it (`SubnetMapping`), unless that doubles a name
/// (`FunctionFunction` for an enum property `Function` of a struct
/// `Function`): then the property's name with `suffix` (`FunctionValue`).
pub fn nested_candidates(parent: &str, prop: &str, suffix: &str) -> Vec<String> {
    let second = if parent == prop {
        format!("{prop}{suffix}")
    } else {
        format!("{parent}{prop}")
    };
    vec![prop.to_owned(), second]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_api_guidelines() {
        assert_eq!(pascal("VPC"), "Vpc");
        assert_eq!(pascal("DBInstance"), "DbInstance");
        assert_eq!(pascal("VPCGatewayAttachment"), "VpcGatewayAttachment");
        assert_eq!(pascal("ElasticLoadBalancingV2"), "ElasticLoadBalancingV2");
        assert_eq!(
            snake("EnableResourceNameDnsAAAARecord"),
            "enable_resource_name_dns_aaaa_record"
        );
        assert_eq!(snake("Ipv6CidrBlock"), "ipv6_cidr_block");
        assert_eq!(snake("VPCZoneIdentifier"), "vpc_zone_identifier");
        assert_eq!(snake("SSESpecification"), "sse_specification");
        assert_eq!(snake("EC2"), "ec2");
        assert_eq!(ident("type"), "r#type");
        assert_eq!(variant("ip-name"), "IpName");
        assert_eq!(variant("1.0"), "V10");
        assert_eq!(variant("*"), "Wildcard");
        assert_eq!(variant("ON_DEMAND"), "OnDemand");
    }

    #[test]
    fn nested_names_are_never_doubled() {
        assert_eq!(
            nested_candidates("Subnet", "Mapping", "Value"),
            ["Mapping", "SubnetMapping"]
        );
        assert_eq!(
            nested_candidates("Function", "Function", "Value"),
            ["Function", "FunctionValue"]
        );
    }
}
