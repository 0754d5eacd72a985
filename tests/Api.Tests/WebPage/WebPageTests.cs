namespace ConvService.Api.Tests.WebPage;

/// <summary>The page as the browser leaves it after loading, with no Playwright involved: the scripts ran and the API answered.</summary>
public sealed class WebPageTests
{
    [Fact]
    public async Task PageFillsItsKernelAndBankListsFromTheApi()
    {
        await using var server = WorkbenchServer.Start();

        var dom = await Chromium.DumpDomAsync(server.Url);

        // The selects are empty in the HTML: these options exist only if the scripts ran and the API answered.
        Assert.Contains("<option value=\"sobel-magnitude\"", dom);
        Assert.Contains("<option value=\"gaussian\"", dom);
        Assert.Contains("<option value=\"mr8\"", dom);
        Assert.Contains("Leung-Malik", dom);
        Assert.Contains("/api/filter/banks/lm/image", dom);
        Assert.Contains("<option value=\"vgg16\"", dom);
        Assert.Contains("<option value=\"lenet5-mnist\"", dom);
    }
}
