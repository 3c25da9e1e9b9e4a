#!/usr/bin/env python3
"""Regenerates the golden request bodies with the machine's botocore serializers.

    python3 LabPortal.Tests/Aws/Golden/generate.py

Reads inputs.json (at least one case per operation, grouped by service; extra cases are named
"Operation#variant"), serializes every case with
botocore's own serializer for the service's protocol (query, ec2, json) and writes expected.json:
the ordered form parameters and url-encoded body, or the JSON body and X-Amz-Target.
Inputs are first put in model member order, so the expected order is the one LabPortal.Aws writes.
"""
import json
import os
import urllib.parse

import botocore
import botocore.loaders
import botocore.model
import botocore.serialize

HERE = os.path.dirname(os.path.abspath(__file__))


def in_model_order(value, shape):
    if shape.type_name == 'structure':
        return {name: in_model_order(value[name], member)
                for name, member in shape.members.items() if name in value}
    if shape.type_name == 'list':
        return [in_model_order(v, shape.member) for v in value]
    if shape.type_name == 'map':
        return {k: in_model_order(v, shape.value) for k, v in value.items()}
    return value


def main():
    loader = botocore.loaders.create_loader()
    with open(os.path.join(HERE, 'inputs.json')) as f:
        inputs = json.load(f)
    expected = {'botocore': botocore.__version__, 'cases': {}}
    for service, cases in inputs.items():
        model = botocore.model.ServiceModel(loader.load_service_model(service, 'service-2'), service)
        protocol = model.metadata['protocol']
        serializer = botocore.serialize.create_serializer(protocol, include_validation=True)
        for case_name, params in cases.items():
            operation = case_name.split('#')[0]
            op_model = model.operation_model(operation)
            params = in_model_order(params, op_model.input_shape)
            request = serializer.serialize_to_request(params, op_model)
            key = f'{service}/{case_name}'
            if protocol == 'json':
                expected['cases'][key] = {
                    'target': request['headers']['X-Amz-Target'],
                    'json': json.loads(request['body']),
                }
            else:
                pairs = [[k, str(v)] for k, v in request['body'].items()]
                expected['cases'][key] = {
                    'parameters': pairs,
                    'body': urllib.parse.urlencode(request['body']),
                }
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(f"wrote {len(expected['cases'])} cases")


if __name__ == '__main__':
    main()
