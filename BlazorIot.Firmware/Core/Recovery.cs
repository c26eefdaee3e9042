namespace BlazorIot.Firmware.Core
{
    /// <summary>What the board does about a streak of failed sends.</summary>
    public enum Recovery
    {
        None,
        ResetLink,
        Restart,
    }
}
