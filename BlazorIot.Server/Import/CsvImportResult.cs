namespace BlazorIot.Server.Import;

/// <summary>What an import found in the file and, when it was valid, what it stored (null: nothing was stored).</summary>
public sealed record CsvImportResult(ImportFileCheck Check, ImportSummary? Summary);
