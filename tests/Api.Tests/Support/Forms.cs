using System.Net.Http.Headers;

namespace ConvService.Api.Tests.Support;

/// <summary>Builds multipart bodies the way curl -F does.</summary>
public static class Forms
{
    public static MultipartFormDataContent With(byte[]? image, string fileName = "image.png", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        if (image is not null)
        {
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "image", fileName);
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }
}
