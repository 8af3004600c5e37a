"""What aws-sam-translator's transform itself accepts, read statically (ast,
no import) from the unpacked wheel: the JSON kinds each `AWS::Serverless::*`
property's validator accepts (`model/sam_resources.py`) and the properties
each `Globals` section takes (`plugins/globals/globals.py`), and the policy
templates with their parameters (`policy_templates_data/policy_templates.json`). SAM's JSON
schema is stricter than the transform in places; cfn-codegen widens the
schema to these facts so that nothing the transform accepts is refused.

usage: python3 scripts/sam-translator-facts.py UNPACKED_WHEEL OUT.json
"""
import ast
import json
import sys
from pathlib import Path

ALL = ["array", "boolean", "integer", "number", "object", "string"]
BASE = {
    "IS_STR": ["string"],
    "IS_DICT": ["object"],
    "IS_BOOL": ["boolean"],
    "IS_INT": ["integer"],
    "IS_LIST": ["array"],
}


def kinds(node):
    """JSON kinds a validator expression accepts; None: no information."""
    if isinstance(node, ast.Name):
        return BASE.get(node.id, ALL)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        f = node.func.id
        if f == "one_of":
            out = set()
            for a in node.args:
                k = kinds(a)
                out |= set(k if k is not None else ALL)
            return sorted(out)
        if f == "list_of":
            return ["array"]
        if f == "dict_of":
            return ["object"]
        if f == "IS_STR_ENUM":
            return ["string"]
        if f == "any_type":
            return ALL
    return ALL


def property_kinds(call):
    """`PropertyType(False, IS_STR)` -> ["string"]; pass-through: None."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        return None
    if call.func.id in ("PropertyType", "Property") and len(call.args) >= 2:
        return kinds(call.args[1])
    return None  # PassThroughProperty and kin: CloudFormation's type applies


def property_required(call):
    """`PropertyType(True, ...)` -> True."""
    return (
        isinstance(call, ast.Call)
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value is True
    )


def classes(paths):
    """name -> (base names, resource_type, property_types dict node) of every
    class in the files, inheritance resolved for property_types."""
    found = {}
    for path in paths:
        for cls in ast.parse(path.read_text()).body:
            if not isinstance(cls, ast.ClassDef):
                continue
            rtype, ptypes = None, None
            for st in cls.body:
                if isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None:
                    target = st.targets[0] if isinstance(st, ast.Assign) else st.target
                    if not isinstance(target, ast.Name):
                        continue
                    if target.id == "resource_type" and isinstance(st.value, ast.Constant):
                        rtype = st.value.value
                    if target.id == "property_types" and isinstance(st.value, ast.Dict):
                        ptypes = st.value
            bases = [b.id for b in cls.bases if isinstance(b, ast.Name)]
            found[cls.name] = (bases, rtype, ptypes)

    def ptypes_of(name, depth=0):
        """(key, validator) pairs; `**Base.property_types` spread in."""
        if name not in found or depth > 10:
            return None
        bases, _, ptypes = found[name]
        if ptypes is None:
            for b in bases:
                p = ptypes_of(b, depth + 1)
                if p is not None:
                    return p
            return None
        pairs = []
        for k, v in zip(ptypes.keys, ptypes.values):
            if k is None:  # {**Base.property_types, ...}
                if isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name):
                    pairs.extend(ptypes_of(v.value.id, depth + 1) or [])
                else:
                    sys.exit(f"unexpected property_types spread in {name}")
            elif isinstance(k, ast.Constant):
                pairs.append((k.value, v))
        return pairs

    out = {}
    for name, (_, rtype, _) in found.items():
        pairs = ptypes_of(name)
        if rtype and pairs is not None:
            out[rtype] = {
                k: {"kinds": property_kinds(v), "required": property_required(v)}
                for k, v in pairs
                if not k.startswith("__")
            }
    return out


def main():
    root = Path(sys.argv[1]) / "samtranslator"
    resources = {
        t: p for t, p in classes([root / "model/sam_resources.py"]).items() if t.startswith("AWS::Serverless::")
    }
    props = {t: {k: v["kinds"] for k, v in p.items()} for t, p in resources.items()}
    required = {t: sorted(k for k, v in p.items() if v["required"]) for t, p in resources.items()}
    # event sources: a function's and a state machine's (`Events: {E: {Type: SQS, Properties: ...}}`)
    events = {
        "AWS::Serverless::Function": classes(sorted((root / "model/eventsources").glob("*.py"))),
        "AWS::Serverless::StateMachine": classes([root / "model/stepfunctions/events.py"]),
    }
    # SamResourceType.LambdaLayerVersion -> AWS::Serverless::LayerVersion
    enum = {}
    tree = ast.parse((root / "sdk/resource.py").read_text())
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef) and cls.name == "SamResourceType":
            for st in cls.body:
                if isinstance(st, ast.Assign) and isinstance(st.value, ast.Constant):
                    enum[st.targets[0].id] = st.value.value
    globals_ = {}
    tree = ast.parse((root / "plugins/globals/globals.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "supported_properties":
            for k, v in zip(node.value.keys, node.value.values):
                # SamResourceType.Function.value -> Function
                member = k.value.attr if isinstance(k, ast.Attribute) and k.attr == "value" else None
                section = enum.get(member, "").removeprefix("AWS::Serverless::") or None
                if section is None or not isinstance(v, ast.List):
                    sys.exit(f"unexpected supported_properties entry {ast.dump(k)}")
                globals_[section] = sorted(e.value for e in v.elts if isinstance(e, ast.Constant))
    # policy templates (`Policies: [{S3ReadPolicy: {BucketName: b}}]`): name -> parameters
    data = json.loads((root / "policy_templates_data/policy_templates.json").read_text())
    policies = {name: sorted(t.get("Parameters", {})) for name, t in data["Templates"].items()}
    if not props or not globals_ or not policies:
        sys.exit("no property types, Globals or policy templates found: has the translator's layout changed?")
    out = {
        "properties": props,
        "required": required,
        "events": events,
        "globals": globals_,
        "policy_templates": policies,
    }
    Path(sys.argv[2]).write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


main()
