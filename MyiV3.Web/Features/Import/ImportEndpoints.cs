using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MyiV3.Jobs.Import;
using MyiV3.Web.Features.Account;

namespace MyiV3.Web.Features.Import;

/// <summary>
/// POST /api/imports: one file per request, the raw body streamed straight into the import service
/// (never buffered whole). Cookie-authenticated, antiforgery-checked (token in the
/// RequestVerificationToken header), size-limited by Import:MaxUploadBytes.
/// </summary>
public static partial class ImportEndpoints
{
    public const string FileNameHeader = "X-File-Name";

    public static IEndpointRouteBuilder MapMyiImportEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/imports", UploadAsync).RequireAuthorization().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, IAntiforgery antiforgery, IOptions<ImportOptions> importOptions,
        IServiceProvider services, ILoggerFactory loggers, CancellationToken ct)
    {
        if (AccountSession.UserId(http.User) is not { } userId)
        {
            return Results.Unauthorized();
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Problem(StatusCodes.Status400BadRequest, "The page's security token is missing or expired. Reload the page and try again.");
        }

        var max = importOptions.Value.MaxUploadBytes;
        if (http.Request.ContentLength is { } length && length > max)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, TooLarge(max));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        var fileName = Uri.UnescapeDataString(http.Request.Headers[FileNameHeader].ToString());
        fileName = Path.GetFileName(fileName.Replace('\\', '/'));
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return Problem(StatusCodes.Status400BadRequest, $"Send the file name in the {FileNameHeader} header.");
        }

        if (services.GetService<IImportService>() is not { } imports)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Imports are not available on this server right now.");
        }

        try
        {
            var job = await imports.EnqueueAsync(userId, fileName, http.Request.Body, ct);
            return Results.Json(new { jobId = job.Id, fileName = job.FileName, status = job.Status.ToString() }, statusCode: StatusCodes.Status202Accepted);
        }
        catch (ImportRejectedException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, TooLarge(max));
        }
        catch (BadHttpRequestException ex)
        {
            LogUploadBroken(loggers.CreateLogger("MyiV3.Import"), ex, userId);
            return Problem(StatusCodes.Status400BadRequest, "The upload was interrupted. Please try again.");
        }
    }

    private static string TooLarge(long max) =>
        $"This file is larger than this server accepts ({MyiV3.Web.Components.Ui.Fmt.Size(max)}). " +
        "Upload the JSON files one by one, or ask the operator to raise Import:MaxUploadBytes.";

    private static IResult Problem(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An upload of user {UserId} broke off")]
    private static partial void LogUploadBroken(ILogger logger, Exception ex, long userId);
}
