namespace BlazorIot.Server.Storage;

/// <summary>Where the code awaiting a write goes on once the writer has committed it.</summary>
public enum AnswerThread
{
    /// <summary>On the thread pool: the writer goes straight on to its next commit.</summary>
    ThreadPool,

    /// <summary>
    /// On the writer's own thread, right after the commit, before the next. Only for a caller that
    /// hands a short answer to its transport and returns at its next await: whatever it runs delays
    /// every other request's commit.
    /// </summary>
    Writer,
}
