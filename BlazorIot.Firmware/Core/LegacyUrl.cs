namespace BlazorIot.Firmware.Core
{
    /// <summary>The original lab device's request: GET /luminosity/&lt;int&gt;, an integer, often negative.</summary>
    public static class LegacyUrl
    {
        public static string For(string serverUrl, double value, string apiKey)
        {
            long rounded = (long)(value < 0 ? value - 0.5 : value + 0.5);
            string url = serverUrl + "/luminosity/" + (rounded < 0 ? "-" + (-rounded).ToString() : rounded.ToString());
            return apiKey == null || apiKey.Length == 0 ? url : url + "?key=" + apiKey;
        }
    }
}
