namespace ConvService.Inference.FilterBanks;

/// <summary>The two scale sets of the Leung-Malik bank named on the Oxford VGG texture pages.</summary>
internal enum LeungMalikScales
{
    /// <summary>LML, basic scales sqrt(2)^[1..4]: what makeLMfilters.m builds, and what the service serves.</summary>
    Large,

    /// <summary>LMS, basic scales sqrt(2)^[0..3] (1, sqrt 2, 2, 2 sqrt 2).</summary>
    Small,
}
