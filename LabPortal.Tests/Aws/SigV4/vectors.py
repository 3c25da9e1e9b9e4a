#!/usr/bin/env python3
"""Computes the SigV4 known answers with botocore's SigV4Auth, an independent implementation.

    python3 LabPortal.Tests/Aws/SigV4/vectors.py

The cases follow AWS's published SigV4 test suite (credentials AKIDEXAMPLE, region us-east-1,
service "service", time 20150830T123600Z: get-vanilla, get-vanilla-query-order-key-case,
post-x-www-form-urlencoded, post-sts-token) plus two lab-shaped Query calls. Writes vectors.json.
"""
import datetime
import json
import os
from unittest import mock
from urllib.parse import urlencode

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
ACCESS_KEY = 'AKIDEXAMPLE'
SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
TIME = datetime.datetime(2015, 8, 30, 12, 36, 0)
TOKEN = ('IQoJb3JpZ2luX2VjEOj//////////wEaCXVzLWVhc3QtMSJGMEQCIHRlc3QtdG9rZW4tZm9yLWxhYnBvcnRhbC1'
         'zaWd2NC12ZWN0b3JzAiBleGFtcGxlLW9ubHktbm90LWEtcmVhbC1zZXNzaW9uLXRva2Vu')

CASES = [
    dict(name='get-vanilla', method='GET', host='example.amazonaws.com', path='/', query=[], headers=[],
         body='', region='us-east-1', service='service', token=None),
    dict(name='get-vanilla-query-order-key-case', method='GET', host='example.amazonaws.com', path='/',
         query=[['Param2', 'value2'], ['Param1', 'value1']], headers=[], body='', region='us-east-1',
         service='service', token=None),
    dict(name='post-x-www-form-urlencoded', method='POST', host='example.amazonaws.com', path='/', query=[],
         headers=[['Content-Type', 'application/x-www-form-urlencoded']], body='Param1=value1',
         region='us-east-1', service='service', token=None),
    dict(name='post-sts-token', method='POST', host='example.amazonaws.com', path='/', query=[], headers=[],
         body='', region='us-east-1', service='service', token=TOKEN),
    dict(name='ec2-describe-regions-form', method='POST', host='ec2.ap-northeast-2.amazonaws.com', path='/',
         query=[], headers=[['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
         body='Action=DescribeRegions&Version=2016-11-15&RegionName.1=ap-northeast-2', region='ap-northeast-2',
         service='ec2', token=None),
    dict(name='ssm-json-target-with-token', method='POST', host='127.0.0.1:4566', path='/', query=[],
         headers=[['Content-Type', 'application/x-amz-json-1.1'], ['X-Amz-Target', 'AmazonSSM.GetParameter']],
         body='{"Name":"/lab/greeting"}', region='ap-northeast-2', service='ssm', token=TOKEN),
]


def sign(case):
    url = f"http://{case['host']}{case['path']}"
    if case['query']:
        url += '?' + urlencode([tuple(p) for p in case['query']])
    request = AWSRequest(method=case['method'], url=url, data=case['body'].encode())
    for name, value in case['headers']:
        request.headers[name] = value
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, case['token'])
    signer = botocore.auth.SigV4Auth(credentials, case['service'], case['region'])
    with mock.patch('botocore.auth.get_current_datetime', return_value=TIME):
        signer.add_auth(request)
    authorization = request.headers['Authorization']
    # Recompute the intermediate values over exactly the headers that were signed.
    del request.headers['Authorization']
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    signature = signer.signature(string_to_sign, request)
    assert authorization.endswith('Signature=' + signature)
    return dict(case, access_key=ACCESS_KEY, secret_key=SECRET_KEY, time='2015-08-30T12:36:00Z',
                canonical_request=canonical, string_to_sign=string_to_sign,
                signature=signature, authorization=authorization)


def main():
    vectors = [sign(c) for c in CASES]
    with open(os.path.join(HERE, 'vectors.json'), 'w') as f:
        json.dump({'botocore': botocore.__version__, 'vectors': vectors}, f, indent=1)
        f.write('\n')
    print(f'wrote {len(vectors)} vectors')


if __name__ == '__main__':
    main()
