#!/usr/bin/env python3
"""Writes input-shapes.json: the request shapes of the sandbox's Query and JSON services, taken from
botocore's service models (the spec, ARCHITECTURE.md "wire format"), for the sandbox's validation layer
(LabPortal.Sandbox/Wire/ModelValidator.cs). Run after a botocore upgrade:

    python3 LabPortal.Sandbox/Wire/Models/generate_shapes.py

Only what validation needs is kept: member names and shapes, list/map/structure nesting, min/max,
patterns (translated from Java's regex dialect to .NET's) and required members. EC2 is left out: its
model carries almost no constraints and its handlers type-check their own parameters. For EC2 it keeps
instead the filter names each Describe operation's documentation lists today (ec2Filters); older
spellings AWS still honours are added by hand in Ec2FilterTable.cs, each with its source."""
import html, json, os, re
import botocore.session

SERVICES = {"elasticloadbalancing": "elbv2", "autoscaling": "autoscaling", "ssm": "ssm"}
HERE = os.path.dirname(os.path.abspath(__file__))


def dotnet_pattern(pattern):
    # Java writes a supplementary-plane range as a surrogate-pair range ("\\uD800\\uDC00-\\uDBFF\\uDFFF");
    # .NET strings are UTF-16 code units, so the same set is the surrogate block itself.
    pattern = pattern.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\uD800-\\uDFFF")
    # Java's \\w and \\d are ASCII unless UNICODE_CHARACTER_CLASS is set; .NET's are Unicode. Inside a
    # character class the set is spliced in, outside it becomes a class of its own.
    ascii = {"w": "a-zA-Z0-9_", "d": "0-9"}
    out, depth, i = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            if n in ascii:
                out.append(ascii[n] if depth else "[" + ascii[n] + "]")
            else:
                out.append(c + n)
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]" and depth:
            depth -= 1
        out.append(c)
        i += 1
    return "".join(out)


def main():
    session = botocore.session.get_session()
    out = {}
    for signing, name in SERVICES.items():
        model = session.get_service_model(name)
        shapes = {}

        def visit(shape):
            if shape.name in shapes:
                return
            entry = {"type": shape.type_name}
            shapes[shape.name] = entry
            for key in ("min", "max"):
                if key in shape.metadata:
                    entry[key] = shape.metadata[key]
            if "pattern" in shape.metadata:
                entry["pattern"] = dotnet_pattern(shape.metadata["pattern"])
            if shape.type_name == "structure":
                entry["members"] = {m: s.name for m, s in shape.members.items()}
                if shape.required_members:
                    entry["required"] = list(shape.required_members)
                for s in shape.members.values():
                    visit(s)
            elif shape.type_name == "list":
                entry["member"] = shape.member.name
                if shape.serialization.get("flattened"):
                    entry["flattened"] = True
                visit(shape.member)
            elif shape.type_name == "map":
                entry["key"] = shape.key.name
                entry["value"] = shape.value.name
                visit(shape.key)
                visit(shape.value)

        operations = {}
        for op in model.operation_names:
            input_shape = model.operation_model(op).input_shape
            if input_shape is None:
                continue
            operations[op] = input_shape.name
            visit(input_shape)
        out[signing] = {"apiVersion": model.api_version, "protocol": model.metadata["protocol"],
                        "operations": operations, "shapes": shapes}
    ec2 = session.get_service_model("ec2")
    filters = {}
    for op in ec2.operation_names:
        if not op.startswith("Describe"):
            continue
        shape = ec2.operation_model(op).input_shape
        member = next((m for n, m in shape.members.items() if n in ("Filters", "Filter")), None) if shape else None
        if member is None:
            continue
        doc = member.documentation or ""
        names = [html.unescape(n).strip() for n in re.findall(r"<li>\s*<p>\s*<code>([^<]+)</code>", doc)]
        for a, b in re.findall(r"[Yy]ou can also use <code>([^<]+)</code>(?: or <code>([^<]+)</code>)?", doc):
            names += [n for n in (a, b) if n]
        # "tag" and "tag:<key>" both stand for the tag:<key> family, which the table matches by prefix.
        names = sorted({n for n in names if n not in ("tag", "tag:<key>") and not n.startswith("tag:")})
        if names:
            filters[op] = names
    out["ec2Filters"] = filters
    with open(os.path.join(HERE, "input-shapes.json"), "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"), sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
