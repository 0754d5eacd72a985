namespace ConvService.Inference.Engine.Planning;

/// <summary>A node that cannot be planned; the planner turns it into a caller-facing problem naming the node.</summary>
internal sealed class PlanningException(string message) : Exception(message);
