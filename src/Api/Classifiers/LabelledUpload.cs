namespace ConvService.Api.Classifiers;

/// <summary>One training image as sent: its position in the request (from 0), where it came from, its class and its bytes.</summary>
public sealed record LabelledUpload(int Index, string Source, string Label, byte[] Bytes);
