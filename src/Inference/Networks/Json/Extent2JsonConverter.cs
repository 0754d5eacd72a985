using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks.Json;

/// <summary>Reads 3 or [3, 5]; writes a square as one number.</summary>
public sealed class Extent2JsonConverter : JsonConverter<Extent2>
{
    public override Extent2 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var both))
        {
            return both;
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var values = new List<int>(2);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var v))
                {
                    throw new JsonException("expected whole numbers in [height, width].");
                }

                values.Add(v);
            }

            if (values.Count == 2)
            {
                return new Extent2(values[0], values[1]);
            }
        }

        throw new JsonException("expected a whole number (square) or [height, width], e.g. 3 or [1, 7].");
    }

    public override void Write(Utf8JsonWriter writer, Extent2 value, JsonSerializerOptions options)
    {
        if (value.IsSquare)
        {
            writer.WriteNumberValue(value.Height);
            return;
        }

        writer.WriteStartArray();
        writer.WriteNumberValue(value.Height);
        writer.WriteNumberValue(value.Width);
        writer.WriteEndArray();
    }
}
