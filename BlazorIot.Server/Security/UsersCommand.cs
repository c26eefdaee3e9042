namespace BlazorIot.Server.Security;

/// <summary><c>BlazorIot.Server users hash</c>: reads a password from standard input and prints the hash for <c>Dashboard:Users:N:PasswordHash</c>.</summary>
public static class UsersCommand
{
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args is not ["users", "hash"])
        {
            error.WriteLine("usage: users hash   (then type the password and press Enter)");
            return 2;
        }
        var password = input.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("No password given.");
            return 2;
        }
        output.WriteLine(ViewerSignIn.Hash(password));
        return 0;
    }
}
