namespace ConvService.Api.Apis;

public static class FiltersApi
{
    public static IEndpointRouteBuilder MapFiltersApi(this IEndpointRouteBuilder app) => app;
}
