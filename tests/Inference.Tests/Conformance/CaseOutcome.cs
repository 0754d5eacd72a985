using System.Text.RegularExpressions;

namespace ConvService.Inference.Tests.Conformance;

/// <summary>A case's verdict; for a refusal, its reason and the operator the reason names (the group it is listed under).</summary>
internal sealed partial record CaseOutcome(string Name, CaseVerdict Verdict, string Detail)
{
    /// <summary>The op type in the first "(OpType)" of a refusal, or "(model)" when it names none (an opset, an input type).</summary>
    public string Operator => OperatorInParentheses().Match(Detail) is { Success: true } m ? m.Groups[1].Value : "(model)";

    [GeneratedRegex(@"\(([A-Z][A-Za-z0-9]*)[ )]")]
    private static partial Regex OperatorInParentheses();
}
