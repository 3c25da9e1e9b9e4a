using Amazon.Runtime;

namespace LabPortal.Aws.Errors;

/// <summary>
/// Friendly explanations (English and Korean) for the AWS error codes a student meets in the labs,
/// each with the next step. Unknown codes get a generic explanation that names the code.
/// </summary>
public static class AwsErrorCatalogue
{
    private static readonly Dictionary<string, AwsErrorExplanation> Entries = Build();

    /// <summary>Every code the catalogue explains.</summary>
    public static IReadOnlyCollection<string> Codes => Entries.Keys;

    /// <summary>Looks up a code.</summary>
    /// <param name="code">The AWS error code.</param>
    /// <param name="explanation">The explanation when found.</param>
    /// <returns>Whether the code is in the catalogue.</returns>
    public static bool TryGet(string code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AwsErrorExplanation? explanation) =>
        Entries.TryGetValue(code ?? string.Empty, out explanation);

    /// <summary>The explanation of a code, or a generic one naming the code.</summary>
    /// <param name="code">The AWS error code.</param>
    /// <returns>The explanation.</returns>
    public static AwsErrorExplanation Explain(string code) =>
        TryGet(code, out var e) ? e : new AwsErrorExplanation(
            code,
            $"AWS refused the request with the error code {code}.",
            "Read the message below, check the values you entered, and try the step again. If it keeps failing, show this code to your instructor.",
            $"AWS가 오류 코드 {code}(으)로 요청을 거부했습니다.",
            "아래 메시지를 읽고 입력한 값을 확인한 뒤 단계를 다시 실행하세요. 계속 실패하면 이 코드를 강사에게 보여 주세요.");

    /// <summary>The explanation of an exception's code.</summary>
    /// <param name="exception">The AWS error.</param>
    /// <returns>The explanation.</returns>
    public static AwsErrorExplanation Explain(AmazonServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Explain(exception.ErrorCode);
    }

    private static Dictionary<string, AwsErrorExplanation> Build()
    {
        var list = new List<AwsErrorExplanation>
        {
            // Throttling and transient errors
            new("RequestLimitExceeded", "Too many EC2 requests were sent from this account in a short time.", "Wait a few seconds; the portal retries automatically. Avoid clicking the same button repeatedly.",
                "짧은 시간에 이 계정에서 EC2 요청이 너무 많이 전송되었습니다.", "몇 초 기다리세요. 포털이 자동으로 다시 시도합니다. 같은 버튼을 여러 번 누르지 마세요."),
            new("Throttling", "Too many requests were sent to this AWS service in a short time (rate exceeded).", "Wait a few seconds and try again; the portal already retried a few times.",
                "짧은 시간에 이 AWS 서비스로 요청이 너무 많이 전송되었습니다(요청 한도 초과).", "몇 초 뒤에 다시 시도하세요. 포털은 이미 몇 번 자동으로 재시도했습니다."),
            new("ThrottlingException", "Too many requests were sent to this AWS service in a short time.", "Wait a few seconds and try again.",
                "짧은 시간에 이 AWS 서비스로 요청이 너무 많이 전송되었습니다.", "몇 초 뒤에 다시 시도하세요."),
            new("RequestTimeout", "AWS did not answer in time.", "Try the step again; nothing was changed if the step did not finish.",
                "AWS가 제시간에 응답하지 않았습니다.", "단계를 다시 실행하세요. 단계가 끝나지 않았다면 아무것도 변경되지 않았습니다."),
            new("ConnectionError", "The portal could not reach the AWS endpoint.", "Check the network or the sandbox status, then try again.",
                "포털이 AWS 엔드포인트에 연결하지 못했습니다.", "네트워크나 샌드박스 상태를 확인한 뒤 다시 시도하세요."),
            new("InternalError", "AWS had an internal error.", "Try again in a minute.",
                "AWS 내부 오류가 발생했습니다.", "1분 뒤에 다시 시도하세요."),

            // Credentials and permissions
            new("UnauthorizedOperation", "Your account is not allowed to perform this action.", "Ask your instructor to check the permissions (IAM policy) of your lab account.",
                "계정에 이 작업을 수행할 권한이 없습니다.", "강사에게 실습 계정의 권한(IAM 정책)을 확인해 달라고 요청하세요."),
            new("AccessDenied", "Access was denied for this action.", "Ask your instructor to check the permissions of your lab account.",
                "이 작업에 대한 접근이 거부되었습니다.", "강사에게 실습 계정의 권한을 확인해 달라고 요청하세요."),
            new("AccessDeniedException", "Access was denied for this action.", "Ask your instructor to check the permissions of your lab account.",
                "이 작업에 대한 접근이 거부되었습니다.", "강사에게 실습 계정의 권한을 확인해 달라고 요청하세요."),
            new("AuthFailure", "AWS could not validate the account's credentials.", "Sign out and back in; if it persists, ask your instructor to reset your lab account.",
                "AWS가 계정의 자격 증명을 확인하지 못했습니다.", "로그아웃 후 다시 로그인하세요. 계속되면 강사에게 실습 계정 재설정을 요청하세요."),
            new("InvalidClientTokenId", "The access key of the lab account is not valid.", "Ask your instructor to reset your lab account's keys.",
                "실습 계정의 액세스 키가 올바르지 않습니다.", "강사에게 실습 계정의 키를 재설정해 달라고 요청하세요."),
            new("SignatureDoesNotMatch", "The request signature did not match (wrong secret key or a clock far off).", "Ask your instructor to check the lab account's keys and the server clock.",
                "요청 서명이 일치하지 않습니다(잘못된 비밀 키 또는 크게 어긋난 시계).", "강사에게 실습 계정 키와 서버 시계를 확인해 달라고 요청하세요."),
            new("ExpiredToken", "The temporary credentials of the lab account expired.", "Reload the page; the portal fetches new credentials.",
                "실습 계정의 임시 자격 증명이 만료되었습니다.", "페이지를 새로 고치세요. 포털이 새 자격 증명을 받아 옵니다."),
            new("RequestExpired", "The request was signed too long ago (the clock may be wrong).", "Try again; if it persists, tell your instructor the server clock may be off.",
                "요청이 너무 오래전에 서명되었습니다(시계가 틀렸을 수 있습니다).", "다시 시도하세요. 계속되면 서버 시계가 틀렸을 수 있다고 강사에게 알려 주세요."),
            new("DryRunOperation", "The check succeeded: the request would have worked, but it was only a dry run.", "Nothing to fix; run the step for real.",
                "확인 성공: 요청은 성공했겠지만 시험 실행(dry run)이었습니다.", "고칠 것은 없습니다. 단계를 실제로 실행하세요."),

            // EC2 and VPC
            new("InvalidGroup.Duplicate", "A security group with this name already exists in the VPC.", "Choose another name, or use the existing group.",
                "이 VPC에 같은 이름의 보안 그룹이 이미 있습니다.", "다른 이름을 고르거나 기존 보안 그룹을 사용하세요."),
            new("InvalidGroup.NotFound", "The security group does not exist (or was already deleted).", "Check the security group id, or create the group first.",
                "보안 그룹이 존재하지 않습니다(이미 삭제되었을 수 있습니다).", "보안 그룹 ID를 확인하거나 먼저 보안 그룹을 만드세요."),
            new("InvalidGroup.InUse", "The security group is still used by another resource.", "Delete or change the instances and load balancers that use it first.",
                "보안 그룹을 아직 다른 리소스가 사용하고 있습니다.", "이 그룹을 사용하는 인스턴스와 로드 밸런서를 먼저 삭제하거나 변경하세요."),
            new("DependencyViolation", "The resource still has something depending on it (for example an instance in a security group).", "Delete the dependent resources first (instances, load balancers), wait until they are gone, then try again.",
                "이 리소스에 아직 의존하는 것이 있습니다(예: 보안 그룹 안의 인스턴스).", "의존하는 리소스(인스턴스, 로드 밸런서)를 먼저 삭제하고 사라질 때까지 기다린 뒤 다시 시도하세요."),
            new("InvalidPermission.Duplicate", "This inbound rule already exists in the security group.", "Nothing to add; the rule is already there.",
                "이 인바운드 규칙이 보안 그룹에 이미 있습니다.", "추가할 필요가 없습니다. 규칙이 이미 있습니다."),
            new("InvalidPermission.NotFound", "The rule to remove is not in the security group.", "Check protocol, port and source of the rule.",
                "삭제하려는 규칙이 보안 그룹에 없습니다.", "규칙의 프로토콜, 포트, 소스를 확인하세요."),
            new("InvalidInstanceID.NotFound", "The instance does not exist (it may have been terminated, or it was just created and is not visible yet).", "Check the instance id; if you just launched it, wait a few seconds and try again.",
                "인스턴스가 존재하지 않습니다(종료되었거나 방금 만들어져 아직 보이지 않을 수 있습니다).", "인스턴스 ID를 확인하세요. 방금 시작했다면 몇 초 기다린 뒤 다시 시도하세요."),
            new("InvalidInstanceID.Malformed", "The instance id is not in the right form (i- followed by hex digits).", "Copy the instance id again from the instance list.",
                "인스턴스 ID 형식이 올바르지 않습니다(i- 다음에 16진수).", "인스턴스 목록에서 인스턴스 ID를 다시 복사하세요."),
            new("IncorrectInstanceState", "The instance is not in a state that allows this action (for example stopping an instance that is still pending).", "Wait until the instance is running or stopped, then try again.",
                "인스턴스가 이 작업을 할 수 있는 상태가 아닙니다(예: 아직 pending인 인스턴스 중지).", "인스턴스가 running 또는 stopped가 될 때까지 기다린 뒤 다시 시도하세요."),
            new("InvalidSubnetID.NotFound", "The subnet does not exist in this region.", "Pick a subnet from the list for this region.",
                "이 리전에 해당 서브넷이 없습니다.", "이 리전의 목록에서 서브넷을 고르세요."),
            new("InvalidVpcID.NotFound", "The VPC does not exist in this region.", "Pick the VPC from the list (the default VPC is fine for the labs).",
                "이 리전에 해당 VPC가 없습니다.", "목록에서 VPC를 고르세요(실습에는 기본 VPC로 충분합니다)."),
            new("InvalidAMIID.NotFound", "The machine image (AMI) does not exist in this region.", "Use the AMI the lab suggests for this region.",
                "이 리전에 해당 머신 이미지(AMI)가 없습니다.", "실습에서 이 리전용으로 제시한 AMI를 사용하세요."),
            new("InvalidParameterValue", "One of the values is not valid for this action.", "Read the message to see which value, correct it and try again.",
                "값 중 하나가 이 작업에 유효하지 않습니다.", "메시지에서 어떤 값인지 확인하고 고친 뒤 다시 시도하세요."),
            new("InvalidParameterCombination", "These options cannot be used together.", "Remove one of the conflicting options named in the message.",
                "이 옵션들은 함께 사용할 수 없습니다.", "메시지에 나온 충돌하는 옵션 중 하나를 빼세요."),
            new("MissingParameter", "A required value is missing.", "Fill in every required field and try again.",
                "필수 값이 빠졌습니다.", "필수 항목을 모두 채우고 다시 시도하세요."),
            new("InsufficientInstanceCapacity", "AWS has no capacity for this instance type in this zone right now.", "Try another availability zone or instance type, or try again later.",
                "지금 이 가용 영역에 이 인스턴스 유형의 용량이 없습니다.", "다른 가용 영역이나 인스턴스 유형을 쓰거나 나중에 다시 시도하세요."),
            new("InstanceLimitExceeded", "The account reached its limit of running instances.", "Terminate instances you no longer need, then try again.",
                "계정의 실행 중 인스턴스 한도에 도달했습니다.", "필요 없는 인스턴스를 종료한 뒤 다시 시도하세요."),
            new("VcpuLimitExceeded", "The account reached its vCPU limit.", "Terminate instances you no longer need or use a smaller instance type.",
                "계정의 vCPU 한도에 도달했습니다.", "필요 없는 인스턴스를 종료하거나 더 작은 인스턴스 유형을 사용하세요."),
            new("InvalidLaunchTemplateName.AlreadyExistsException", "A launch template with this name already exists.", "Choose another name or use the existing template.",
                "같은 이름의 시작 템플릿이 이미 있습니다.", "다른 이름을 고르거나 기존 템플릿을 사용하세요."),
            new("InvalidLaunchTemplateName.NotFoundException", "The launch template does not exist.", "Create the launch template first, or check its name.",
                "시작 템플릿이 존재하지 않습니다.", "먼저 시작 템플릿을 만들거나 이름을 확인하세요."),
            new("InvalidLaunchTemplateId.NotFound", "The launch template does not exist.", "Create the launch template first, or check its id.",
                "시작 템플릿이 존재하지 않습니다.", "먼저 시작 템플릿을 만들거나 ID를 확인하세요."),

            // Elastic Load Balancing v2
            new("ValidationError", "A value did not pass AWS's validation (for example a name with characters other than letters, digits and hyphens, or longer than 32).", "Read the message, correct the value and try again.",
                "값이 AWS 검증을 통과하지 못했습니다(예: 영문자, 숫자, 하이픈 이외의 문자가 있거나 32자를 넘는 이름).", "메시지를 읽고 값을 고친 뒤 다시 시도하세요."),
            new("DuplicateTargetGroupName", "A target group with this name already exists with different settings.", "Choose another name, or delete the old target group first.",
                "같은 이름의 대상 그룹이 다른 설정으로 이미 있습니다.", "다른 이름을 고르거나 기존 대상 그룹을 먼저 삭제하세요."),
            new("DuplicateLoadBalancerName", "A load balancer with this name already exists with different settings.", "Choose another name, or delete the old load balancer first.",
                "같은 이름의 로드 밸런서가 다른 설정으로 이미 있습니다.", "다른 이름을 고르거나 기존 로드 밸런서를 먼저 삭제하세요."),
            new("DuplicateListener", "The load balancer already has a listener on this port.", "Use the existing listener, or choose another port.",
                "로드 밸런서에 이 포트의 리스너가 이미 있습니다.", "기존 리스너를 사용하거나 다른 포트를 고르세요."),
            new("TargetGroupNotFound", "The target group does not exist (or was already deleted).", "Check the target group, or create it first.",
                "대상 그룹이 존재하지 않습니다(이미 삭제되었을 수 있습니다).", "대상 그룹을 확인하거나 먼저 만드세요."),
            new("LoadBalancerNotFound", "The load balancer does not exist (or was already deleted).", "Check the name, or create the load balancer first.",
                "로드 밸런서가 존재하지 않습니다(이미 삭제되었을 수 있습니다).", "이름을 확인하거나 먼저 로드 밸런서를 만드세요."),
            new("ListenerNotFound", "The listener does not exist.", "Create the listener first, or check the load balancer.",
                "리스너가 존재하지 않습니다.", "먼저 리스너를 만들거나 로드 밸런서를 확인하세요."),
            new("RuleNotFound", "The listener rule does not exist.", "Reload the rule list and try again.",
                "리스너 규칙이 존재하지 않습니다.", "규칙 목록을 새로 고친 뒤 다시 시도하세요."),
            new("PriorityInUse", "Another rule of this listener already has this priority.", "Choose a priority no other rule uses (1 to 50000).",
                "이 리스너의 다른 규칙이 이미 이 우선순위를 쓰고 있습니다.", "다른 규칙이 쓰지 않는 우선순위(1~50000)를 고르세요."),
            new("ResourceInUse", "The resource is still in use (for example a target group used by a listener or rule, or an Auto Scaling group with activities).", "Remove what uses it first (delete the listener or rule), then try again.",
                "리소스를 아직 사용 중입니다(예: 리스너나 규칙이 쓰는 대상 그룹, 활동 중인 Auto Scaling 그룹).", "사용하는 쪽(리스너나 규칙)을 먼저 삭제한 뒤 다시 시도하세요."),
            new("InvalidConfigurationRequest", "The requested configuration is not valid (for example two subnets in the same availability zone).", "Pick subnets in two different availability zones and check the other settings.",
                "요청한 구성이 올바르지 않습니다(예: 같은 가용 영역의 서브넷 두 개).", "서로 다른 두 가용 영역의 서브넷을 고르고 다른 설정도 확인하세요."),
            new("InvalidTarget", "The target cannot be registered (it must be a running instance in the target group's VPC).", "Check that the instance is running and in the same VPC as the target group.",
                "대상을 등록할 수 없습니다(대상 그룹 VPC의 실행 중인 인스턴스여야 합니다).", "인스턴스가 실행 중이고 대상 그룹과 같은 VPC에 있는지 확인하세요."),
            new("InvalidSubnet", "A subnet cannot be used for this load balancer.", "Pick public subnets in two different availability zones.",
                "이 로드 밸런서에 사용할 수 없는 서브넷입니다.", "서로 다른 두 가용 영역의 퍼블릭 서브넷을 고르세요."),
            new("SubnetNotFound", "A subnet does not exist.", "Pick subnets from the list for this region.",
                "서브넷이 존재하지 않습니다.", "이 리전의 목록에서 서브넷을 고르세요."),
            new("InvalidSecurityGroup", "A security group is not valid for this load balancer.", "Pick a security group of the same VPC.",
                "이 로드 밸런서에 유효하지 않은 보안 그룹입니다.", "같은 VPC의 보안 그룹을 고르세요."),
            new("TooManyTargetGroups", "The account reached its limit of target groups.", "Delete target groups you no longer need.",
                "계정의 대상 그룹 한도에 도달했습니다.", "필요 없는 대상 그룹을 삭제하세요."),
            new("TooManyLoadBalancers", "The account reached its limit of load balancers.", "Delete load balancers you no longer need.",
                "계정의 로드 밸런서 한도에 도달했습니다.", "필요 없는 로드 밸런서를 삭제하세요."),
            new("TooManyTargets", "The target group reached its limit of targets.", "Deregister targets you no longer need.",
                "대상 그룹의 대상 한도에 도달했습니다.", "필요 없는 대상을 등록 해제하세요."),
            new("TooManyListeners", "The load balancer reached its limit of listeners.", "Delete listeners you no longer need.",
                "로드 밸런서의 리스너 한도에 도달했습니다.", "필요 없는 리스너를 삭제하세요."),
            new("TooManyRules", "The listener reached its limit of rules.", "Delete rules you no longer need.",
                "리스너의 규칙 한도에 도달했습니다.", "필요 없는 규칙을 삭제하세요."),
            new("OperationNotPermitted", "This operation is not allowed now (for example deletion protection is on).", "Turn off deletion protection or check the message, then try again.",
                "지금은 이 작업이 허용되지 않습니다(예: 삭제 보호가 켜져 있음).", "삭제 보호를 끄거나 메시지를 확인한 뒤 다시 시도하세요."),

            // Auto Scaling
            new("AlreadyExists", "An Auto Scaling group or launch configuration with this name already exists.", "Choose another name or use the existing group.",
                "같은 이름의 Auto Scaling 그룹 또는 시작 구성이 이미 있습니다.", "다른 이름을 고르거나 기존 그룹을 사용하세요."),
            new("LimitExceeded", "The account reached an Auto Scaling limit.", "Delete Auto Scaling groups you no longer need.",
                "계정이 Auto Scaling 한도에 도달했습니다.", "필요 없는 Auto Scaling 그룹을 삭제하세요."),
            new("ResourceContention", "Another update to this Auto Scaling group is still in progress.", "Wait a few seconds; the portal retries automatically.",
                "이 Auto Scaling 그룹의 다른 업데이트가 아직 진행 중입니다.", "몇 초 기다리세요. 포털이 자동으로 다시 시도합니다."),
            new("ScalingActivityInProgress", "The Auto Scaling group still has instances or scaling activities.", "Delete it with force delete, or set the desired capacity to 0 and wait.",
                "Auto Scaling 그룹에 아직 인스턴스나 조정 활동이 있습니다.", "강제 삭제(ForceDelete)로 삭제하거나 원하는 용량을 0으로 만들고 기다리세요."),

            // Systems Manager
            new("ParameterNotFound", "The Parameter Store parameter does not exist.", "Check the parameter name (it starts with /).",
                "Parameter Store 파라미터가 존재하지 않습니다.", "파라미터 이름을 확인하세요(/로 시작합니다)."),
            new("InvalidInstanceId", "The instance cannot receive commands (it is not running or the SSM agent is not connected).", "Wait until the instance is running and registered with Systems Manager, then try again.",
                "인스턴스가 명령을 받을 수 없습니다(실행 중이 아니거나 SSM 에이전트가 연결되지 않음).", "인스턴스가 실행되고 Systems Manager에 등록될 때까지 기다린 뒤 다시 시도하세요."),
            new("InvalidDocument", "The SSM document does not exist.", "Use AWS-RunShellScript for shell commands.",
                "SSM 문서가 존재하지 않습니다.", "셸 명령에는 AWS-RunShellScript를 사용하세요."),
            new("InvocationDoesNotExist", "There is no result yet for this command on this instance.", "Wait a moment and check again.",
                "이 인스턴스에서 이 명령의 결과가 아직 없습니다.", "잠시 기다린 뒤 다시 확인하세요."),
        };
        return list.ToDictionary(e => e.Code, StringComparer.Ordinal);
    }
}
