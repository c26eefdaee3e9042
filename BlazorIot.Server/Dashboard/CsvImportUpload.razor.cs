using System.Globalization;
using System.IO.Pipelines;
using BlazorIot.Server.Import;
using BlazorIot.Server.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace BlazorIot.Server.Dashboard;

/// <summary>
/// The settings panel's CSV import: the chosen file streams from the browser through the circuit
/// into the same checks and store as <c>POST /api/sensors/{id}/import</c>, with a progress bar, and
/// then says what was stored or lists the bad lines (nothing is stored then).
/// </summary>
public sealed partial class CsvImportUpload : ComponentBase, IDisposable
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource leaving = new();
    private IBrowserFile? file;
    private bool importing;
    private long sent;
    private long lastShown;
    private string? outcome;
    private string? problem;
    private IReadOnlyList<BadLine> badLines = [];

    [Inject]
    private CsvImport Import { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter, EditorRequired]
    public string Sensor { get; set; } = "";

    /// <summary>Asked again when the user imports: whether they may still change the sensor.</summary>
    [Parameter, EditorRequired]
    public Func<Task<bool>> MayManage { get; set; } = default!;

    private string Percent => file is { Size: > 0 } chosen
        ? (100.0 * sent / chosen.Size).ToString("0", CultureInfo.CurrentCulture)
        : "0";

    private void Choose(InputFileChangeEventArgs chosen)
    {
        file = chosen.File;
        (outcome, problem, badLines) = (null, null, []);
    }

    private async Task ImportAsync()
    {
        if (file is null || importing || !await MayManage())
        {
            return;
        }
        (outcome, problem, badLines, sent, importing) = (null, null, [], 0, true);
        lastShown = Time.GetTimestamp();
        try
        {
            if (file.Size > Import.MaxBytes)
            {
                problem = $"The file is too large: an import takes at most {Import.MaxBytes:N0} bytes (Import:MaxBytes). Split the file.";
                return;
            }
            await using var upload = new UploadProgressStream(file.OpenReadStream(Import.MaxBytes, leaving.Token), Progressed);
            var result = await Import.ImportAsync(Sensor, PipeReader.Create(upload), leaving.Token);
            Show(result);
        }
        catch (StoreUnavailableException failure)
        {
            problem = failure.Message;
        }
        catch (OperationCanceledException) when (leaving.IsCancellationRequested)
        {
            // The page went away mid-upload: nothing to show to anyone.
        }
        finally
        {
            importing = false;
        }
    }

    // Called between reads of the file, on whichever thread read it: a render at most every ProgressEvery.
    private void Progressed(long bytes)
    {
        Volatile.Write(ref sent, bytes);
        var last = Volatile.Read(ref lastShown);
        if (Time.GetElapsedTime(last) >= ProgressEvery && Interlocked.CompareExchange(ref lastShown, Time.GetTimestamp(), last) == last)
        {
            _ = InvokeAsync(StateHasChanged);
        }
    }

    private void Show(CsvImportResult result)
    {
        var check = result.Check;
        if (result.Summary is { } summary)
        {
            outcome = summary.Duplicates == 0
                ? $"Stored {summary.Stored:N0} readings."
                : $"Stored {summary.Stored:N0} readings; {summary.Duplicates:N0} were there already.";
        }
        else if (check.TooLarge)
        {
            problem = $"The file is too large: an import takes at most {Import.MaxBytes:N0} bytes (Import:MaxBytes). Split the file.";
        }
        else if (check.BadLineCount > 0)
        {
            problem = check.BadLineCount > ImportFileCheck.Listed
                ? $"{check.BadLineCount:N0} lines are not valid; nothing was stored. The first {ImportFileCheck.Listed}:"
                : $"{check.BadLineCount:N0} line{(check.BadLineCount == 1 ? " is" : "s are")} not valid; nothing was stored:";
            badLines = check.BadLines;
        }
        else
        {
            problem = $"The file holds no readings. {ImportEndpoints.NoReadings(check)}";
        }
    }

    public void Dispose()
    {
        leaving.Cancel();
        leaving.Dispose();
    }
}
