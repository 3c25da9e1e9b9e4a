using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LabPortal.Tests.Sandbox;

/// <summary>
/// Hands a batch of sandbox error responses to botocore's own response parsers (the ones boto3 and the
/// AWS CLI use), in one python3 run, as the Boto3 lane does. Each response must parse into an error with
/// a code; the code must be the expected one when a case names it, otherwise one AWS documents for that
/// service: an error shape of its botocore model, or a common error of its protocol.
/// </summary>
internal static class BotocoreErrorCheck
{
    private const string Script = """
        import base64, json, re, sys
        import botocore.session
        from botocore.parsers import create_parser

        session = botocore.session.get_session()
        protocols = {"ec2": "ec2", "elasticloadbalancing": "query", "autoscaling": "query", "ssm": "json"}
        models = {"ec2": "ec2", "elasticloadbalancing": "elbv2", "autoscaling": "autoscaling", "ssm": "ssm"}

        # Common errors of every AWS API ("Common Errors" page of each service's API reference), per protocol.
        common_query = {"AccessDeniedException", "IncompleteSignature", "InternalFailure", "InvalidAction", "InvalidClientTokenId",
                        "InvalidParameterCombination", "InvalidParameterValue", "InvalidQueryParameter", "MalformedQueryString",
                        "MissingAction", "MissingAuthenticationToken", "MissingParameter", "NotAuthorized", "OptInRequired",
                        "RequestExpired", "ServiceUnavailable", "Throttling", "ValidationError", "SignatureDoesNotMatch",
                        "RequestEntityTooLarge", "InvalidRequest"}
        common_json = {"AccessDeniedException", "IncompleteSignatureException", "InternalFailure", "InvalidSignatureException",
                       "MissingAuthenticationTokenException", "UnrecognizedClientException", "SerializationException",
                       "ValidationException", "ThrottlingException", "UnknownOperationException", "RequestEntityTooLarge", "InvalidRequest"}
        # EC2 API reference, "Error codes": common client errors, and the resource families Invalid<Resource>.<Reason>.
        common_ec2 = {"AuthFailure", "DryRunOperation", "IdempotentParameterMismatch", "IncompleteSignature", "InvalidAction",
                      "InvalidCharacter", "InvalidClientTokenId", "InvalidPaginationToken", "InvalidParameter",
                      "InvalidParameterCombination", "InvalidParameterValue", "InvalidQueryParameter", "MalformedQueryString",
                      "MissingAction", "MissingAuthenticationToken", "MissingParameter", "OptInRequired", "PendingVerification",
                      "RequestExpired", "UnauthorizedOperation", "UnknownParameter", "UnsupportedInstanceAttribute",
                      "UnsupportedOperation", "UnsupportedProtocol", "ValidationError", "NoSuchVersion", "RequestLimitExceeded",
                      "OperationNotPermitted", "DependencyViolation", "IncorrectInstanceState", "IncorrectState",
                      "RequestEntityTooLarge", "InvalidRequest"}
        ec2_family = re.compile(r"^Invalid[A-Za-z0-9]+\.[A-Za-z]+$")

        def documented(service):
            model = session.get_service_model(models[service])
            codes = set()
            for name in model.shape_names:
                shape = model.shape_for(name)
                if shape.metadata.get("exception"):
                    codes.add(shape.metadata.get("error", {}).get("code", name))
            return codes | (common_json if protocols[service] == "json" else common_ec2 if service == "ec2" else common_query)

        allowed = {s: documented(s) for s in protocols}
        cases = json.load(open(sys.argv[1]))
        failures, parsed_count = [], 0
        for case in cases:
            service = case["service"]
            parser = create_parser(protocols[service])
            response = {"status_code": case["status"], "headers": case["headers"], "body": base64.b64decode(case["body"])}
            try:
                parsed = parser.parse(response, None)
            except Exception as e:
                failures.append(f"{case['name']}: botocore could not parse ({e!r}): {response['body'][:300]!r}")
                continue
            error = parsed.get("Error", {})
            code = error.get("Code")
            parsed_count += 1
            if not code:
                failures.append(f"{case['name']}: no error code in {response['body'][:300]!r}")
            elif case.get("expected") and code != case["expected"]:
                failures.append(f"{case['name']}: expected {case['expected']}, got {code}: {error.get('Message')}")
            elif code not in allowed[service] and not (service == "ec2" and ec2_family.match(code)):
                failures.append(f"{case['name']}: {code} is not an error {service} documents: {error.get('Message')}")
        print(f"parsed {parsed_count} of {len(cases)} errors")
        for f in failures:
            print("FAIL " + f)
        sys.exit(1 if failures else 0)
        """;

    /// <summary>One error answer to check: the service that was targeted, the raw response and, when the case knows it, AWS's code.</summary>
    public sealed record Case(string Name, string Service, int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, string? Expected);

    /// <summary>Runs botocore over <paramref name="cases"/>; returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<Case> cases)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sandbox-botocore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var script = Path.Combine(directory, "check.py");
            var data = Path.Combine(directory, "cases.json");
            await File.WriteAllTextAsync(script, Script);
            var array = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["service"] = c.Service,
                ["status"] = c.Status,
                ["headers"] = new JsonObject(c.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
                ["body"] = Convert.ToBase64String(c.Body),
                ["expected"] = c.Expected,
            }).ToArray());
            await File.WriteAllTextAsync(data, array.ToJsonString());

            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(data);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
