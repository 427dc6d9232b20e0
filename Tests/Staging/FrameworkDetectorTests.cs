using Granary.Silo.Staging;

namespace Granary.Tests.Staging;

public sealed class FrameworkDetectorTests
{
    private const string StartScript = """{ "name": "a", "scripts": { "start": "node server.js" } }""";
    private const string WithDependencies = """{ "name": "a", "scripts": { "start": "node server.js" }, "dependencies": { "express": "^4.0.0" } }""";

    private static Detection Detected(AppFiles files, string? command = null)
    {
        var result = FrameworkDetector.Detect(files, command);
        Assert.True(result.Detected is not null, result.Error);
        return result.Detected!;
    }

    private static string Failed(AppFiles files, string? command = null)
    {
        var result = FrameworkDetector.Detect(files, command);
        Assert.Null(result.Detected);
        return result.Error!;
    }

    [Fact]
    public void Detect_PackageJsonWithStartScript_RunsTheScriptWithoutInstall()
    {
        var detection = Detected(AppFiles.Of(("package.json", StartScript), ("server.js", "")));

        Assert.Equal("node", detection.Framework);
        Assert.Equal("node server.js", detection.StartCommand);
        Assert.Empty(detection.BuildSteps);
        Assert.Null(detection.DropletFolder);
    }

    [Fact]
    public void Detect_StartScriptWithPrestartHook_KeepsNpmStartSoTheHookRuns()
    {
        var detection = Detected(AppFiles.Of(
            ("package.json", "{\"scripts\":{\"prestart\":\"node migrate.js\",\"start\":\"node server.js\"}}"), ("server.js", "")));

        Assert.Equal("npm start", detection.StartCommand);
    }

    [Theory]
    [InlineData("package-lock.json")]
    [InlineData("npm-shrinkwrap.json")]
    public void Detect_DependenciesWithLockFile_InstallsWithNpmCi(string lockFile)
    {
        var detection = Detected(AppFiles.Of(("package.json", WithDependencies), (lockFile, "{}")));

        var step = Assert.Single(detection.BuildSteps);
        Assert.Equal("npm ci", step.Name);
        Assert.Equal("npm ci --omit=dev --no-audit --no-fund", step.Command);
        Assert.Empty(detection.Notes);
    }

    [Fact]
    public void Detect_DependenciesWithoutLockFile_InstallsWithNpmInstallAndSaysSo()
    {
        var detection = Detected(AppFiles.Of(("package.json", WithDependencies)));

        var step = Assert.Single(detection.BuildSteps);
        Assert.Equal("npm install --omit=dev --no-audit --no-fund", step.Command);
        Assert.Contains(detection.Notes, note => note.Contains("package-lock.json"));
    }

    [Fact]
    public void Detect_EmptyDependencies_NoInstallStep()
    {
        var detection = Detected(AppFiles.Of(("package.json", """{ "scripts": { "start": "node a.js" }, "dependencies": {} }""")));

        Assert.Empty(detection.BuildSteps);
    }

    [Theory]
    [InlineData("main.js", "main.js", "node main.js")]
    [InlineData("lib/main", "lib/main.js", "node lib/main.js")]
    [InlineData("lib", "lib/index.js", "node lib/index.js")]
    public void Detect_NoStartScriptButMainExists_RunsMain(string main, string file, string expected)
    {
        var detection = Detected(AppFiles.Of(("package.json", $$"""{ "main": "{{main}}" }"""), (file, "")));

        Assert.Equal(expected, detection.StartCommand);
    }

    [Fact]
    public void Detect_MainMissingButServerJsExists_RunsServerJs()
    {
        // npm init writes "main": "index.js" even when there is no such file.
        var detection = Detected(AppFiles.Of(("package.json", """{ "main": "index.js" }"""), ("server.js", "")));

        Assert.Equal("node server.js", detection.StartCommand);
    }

    [Theory]
    [InlineData(new[] { "server.js", "index.js", "app.js" }, "node server.js")]
    [InlineData(new[] { "index.js", "app.js" }, "node index.js")]
    [InlineData(new[] { "app.js" }, "node app.js")]
    public void Detect_NoStartScriptNoMain_RunsConventionalEntryPoint(string[] present, string expected)
    {
        var files = new AppFiles(present.Append("package.json"), new Dictionary<string, string> { ["package.json"] = "{}" });

        Assert.Equal(expected, Detected(files).StartCommand);
    }

    [Fact]
    public void Detect_PackageJsonWithNothingToStart_ErrorSaysAddScriptsStart()
    {
        var error = Failed(AppFiles.Of(("package.json", """{ "name": "a" }"""), ("lib/x.js", "")));

        Assert.Contains("scripts.start", error);
        Assert.Contains("--command", error);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    public void Detect_BrokenPackageJson_ErrorNamesPackageJson(string text)
    {
        var error = Failed(AppFiles.Of(("package.json", text)), command: "node x.js");

        Assert.Contains("package.json", error);
    }

    [Fact]
    public void Detect_AppPy_RunsItWithPython3()
    {
        var detection = Detected(AppFiles.Of(("app.py", "")));

        Assert.Equal("python", detection.Framework);
        Assert.Equal("python3 app.py", detection.StartCommand);
        Assert.Empty(detection.BuildSteps);
        Assert.Empty(detection.SupportFiles);
    }

    [Fact]
    public void Detect_WsgiPy_RunsGranaryWsgiServer()
    {
        var detection = Detected(AppFiles.Of(("wsgi.py", "")));

        Assert.Equal("python3 .granary/wsgi_server.py", detection.StartCommand);
        Assert.Equal(["wsgi_server.py"], detection.SupportFiles);
    }

    [Fact]
    public void Detect_AppPyAndWsgiPy_AppPyWins()
    {
        var detection = Detected(AppFiles.Of(("app.py", ""), ("wsgi.py", "")));

        Assert.Equal("python3 app.py", detection.StartCommand);
        Assert.Empty(detection.SupportFiles);
    }

    [Fact]
    public void Detect_RequirementsTxt_InstallsIntoDropletAndSetsPythonPath()
    {
        var detection = Detected(AppFiles.Of(("app.py", ""), ("requirements.txt", "flask")));

        var step = Assert.Single(detection.BuildSteps);
        Assert.Equal("python3 -m pip install --target .granary/python -r requirements.txt", step.Command);
        Assert.Contains("PYTHONPATH=\"$PWD/.granary/python", detection.StartCommand);
        Assert.EndsWith("python3 app.py", detection.StartCommand);
    }

    [Fact]
    public void Detect_RequirementsWithoutEntryPoint_ErrorNamesAppPyAndWsgiPy()
    {
        var error = Failed(AppFiles.Of(("requirements.txt", "flask")));

        Assert.Contains("app.py", error);
        Assert.Contains("wsgi.py", error);
    }

    [Fact]
    public void Detect_RequirementsAndProcfile_ProcfileStartsWithPythonPath()
    {
        var detection = Detected(AppFiles.Of(("requirements.txt", "gunicorn"), ("Procfile", "web: gunicorn app:app")));

        Assert.Equal("python", detection.Framework);
        Assert.Single(detection.BuildSteps);
        Assert.StartsWith("export PYTHONPATH=", detection.StartCommand);
        Assert.EndsWith("gunicorn app:app", detection.StartCommand);
    }

    [Fact]
    public void Detect_IndexHtmlAlone_ServedByGranaryStaticServer()
    {
        var detection = Detected(AppFiles.Of(("index.html", ""), ("style.css", "")));

        Assert.Equal("static", detection.Framework);
        Assert.Equal("python3 .granary/static_server.py", detection.StartCommand);
        Assert.Equal(["static_server.py"], detection.SupportFiles);
        Assert.Empty(detection.BuildSteps);
    }

    [Fact]
    public void Detect_IndexHtmlWithPackageJson_NodeWins()
    {
        Assert.Equal("node", Detected(AppFiles.Of(("index.html", ""), ("package.json", StartScript))).Framework);
    }

    [Fact]
    public void Detect_IndexHtmlOnlyInSubfolder_Unknown()
    {
        Assert.Equal(FrameworkDetector.UnknownAppError, Failed(AppFiles.Of(("public/index.html", ""))));
    }

    [Fact]
    public void Detect_IndexHtmlWithProcfile_ProcfileRuns()
    {
        var detection = Detected(AppFiles.Of(("index.html", ""), ("Procfile", "web: ./serve")));

        Assert.Equal("procfile", detection.Framework);
        Assert.Equal("./serve", detection.StartCommand);
        Assert.Empty(detection.SupportFiles);
    }

    [Fact]
    public void Detect_OneCsproj_PublishesAndRunsAssembly()
    {
        var detection = Detected(AppFiles.Of(("Hello.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />"), ("Program.cs", "")));

        Assert.Equal("dotnet", detection.Framework);
        var step = Assert.Single(detection.BuildSteps);
        Assert.Equal("dotnet publish Hello.csproj -c Release -o ../publish --nologo", step.Command);
        Assert.Equal("dotnet Hello.dll", detection.StartCommand);
        Assert.Equal("../publish", detection.DropletFolder);
    }

    [Theory]
    [InlineData("<Project><PropertyGroup><AssemblyName>Custom.Api</AssemblyName></PropertyGroup></Project>", "dotnet Custom.Api.dll")]
    [InlineData("<Project><PropertyGroup><AssemblyName>$(MSBuildProjectName).Web</AssemblyName></PropertyGroup></Project>", "dotnet Hello.dll")]
    [InlineData("<Project><PropertyGroup><AssemblyName>Broken", "dotnet Hello.dll")]
    [InlineData("<Project><PropertyGroup><AssemblyName>First</AssemblyName></PropertyGroup><PropertyGroup><AssemblyName>Second</AssemblyName></PropertyGroup></Project>", "dotnet Second.dll")]
    public void Detect_CsprojAssemblyName_StartsThatAssembly(string project, string expected)
    {
        Assert.Equal(expected, Detected(AppFiles.Of(("Hello.csproj", project))).StartCommand);
    }

    [Fact]
    public void Detect_CsprojNameWithSpace_IsQuotedForTheShell()
    {
        var detection = Detected(AppFiles.Of(("My App.csproj", "<Project />")));

        Assert.Equal("dotnet publish 'My App.csproj' -c Release -o ../publish --nologo", detection.BuildSteps[0].Command);
        Assert.Equal("dotnet 'My App.dll'", detection.StartCommand);
    }

    [Fact]
    public void Detect_TwoCsprojs_ErrorNamesBoth()
    {
        var error = Failed(AppFiles.Of(("Api.csproj", "<Project />"), ("Worker.csproj", "<Project />")), command: "dotnet Api.dll");

        Assert.Contains("Api.csproj", error);
        Assert.Contains("Worker.csproj", error);
    }

    [Fact]
    public void Detect_CsprojOnlyInSubfolder_Unknown()
    {
        Assert.Equal(FrameworkDetector.UnknownAppError, Failed(AppFiles.Of(("src/Api/Api.csproj", "<Project />"), ("App.sln", ""))));
    }

    [Fact]
    public void Detect_ProcfileWebLine_StartsIt()
    {
        var procfile = "# processes\nworker: ./work\n\nweb:   ./server --port $PORT  \nweb: ignored\n";
        var detection = Detected(AppFiles.Of(("Procfile", procfile), ("server", "")));

        Assert.Equal("procfile", detection.Framework);
        Assert.Equal("./server --port $PORT", detection.StartCommand);
        Assert.Empty(detection.BuildSteps);
    }

    [Fact]
    public void Detect_ProcfileWithoutWebLine_UnknownErrorMentionsProcfile()
    {
        var error = Failed(AppFiles.Of(("Procfile", "worker: ./work")));

        Assert.Contains("Procfile with a web: line", error);
    }

    [Fact]
    public void Detect_ProcfileWithNodeThatCannotStart_NodeBuildsProcfileStarts()
    {
        var detection = Detected(AppFiles.Of(("package.json", """{ "dependencies": { "x": "1" } }"""), ("Procfile", "web: node src/main.js")));

        Assert.Equal("node", detection.Framework);
        Assert.Single(detection.BuildSteps);
        Assert.Equal("node src/main.js", detection.StartCommand);
    }

    [Fact]
    public void Detect_CommandOnly_FrameworkIsCommand()
    {
        var detection = Detected(AppFiles.Of(("run.sh", "")), command: "./run.sh");

        Assert.Equal("command", detection.Framework);
        Assert.Equal("./run.sh", detection.StartCommand);
        Assert.Empty(detection.BuildSteps);
    }

    [Fact]
    public void Detect_CommandAndProcfile_CommandWins()
    {
        Assert.Equal("./b", Detected(AppFiles.Of(("Procfile", "web: ./a")), command: "./b").StartCommand);
    }

    [Fact]
    public void Detect_CommandWithNodeApp_CommandStartsButNpmStillInstalls()
    {
        var detection = Detected(AppFiles.Of(("package.json", WithDependencies), ("package-lock.json", "{}")), command: "  node other.js ");

        Assert.Equal("node", detection.Framework);
        Assert.Equal("node other.js", detection.StartCommand);
        Assert.Equal("npm ci", Assert.Single(detection.BuildSteps).Name);
    }

    [Fact]
    public void Detect_CommandWithDotnetApp_StillPublishes()
    {
        var detection = Detected(AppFiles.Of(("Api.csproj", "<Project />")), command: "dotnet Api.dll --urls http://0.0.0.0:$PORT");

        Assert.Equal("dotnet", detection.Framework);
        Assert.Equal("dotnet Api.dll --urls http://0.0.0.0:$PORT", detection.StartCommand);
        Assert.Equal("../publish", detection.DropletFolder);
    }

    [Fact]
    public void Detect_CommandWithStaticSite_CommandWinsAndNoServerIsCopied()
    {
        var detection = Detected(AppFiles.Of(("index.html", "")), command: "python3 -m http.server $PORT");

        Assert.Equal("command", detection.Framework);
        Assert.Empty(detection.SupportFiles);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Detect_NothingRecognisableAndNoCommand_ErrorListsWhatGranaryLooksFor(string? command)
    {
        var error = Failed(AppFiles.Of(("README.md", "hi"), ("src/main.go", "")), command);

        foreach (var expected in new[] { "package.json", "app.py", "wsgi.py", "index.html", "*.csproj", "Procfile", "web:", "--command" })
        {
            Assert.Contains(expected, error);
        }
    }

    [Fact]
    public void Detect_NodeAndPythonFiles_NodeWinsWithNote()
    {
        var detection = Detected(AppFiles.Of(("package.json", StartScript), ("app.py", "")));

        Assert.Equal("node", detection.Framework);
        Assert.Contains(detection.Notes, note => note.Contains("python"));
    }

    [Theory]
    [InlineData("package.json", true)]
    [InlineData("Procfile", true)]
    [InlineData("Api.csproj", true)]
    [InlineData("src/Api.csproj", false)]
    [InlineData("lib/package.json", false)]
    [InlineData("app.py", false)]
    public void ReadsText_Path_OnlyRootFilesDetectionNeeds(string path, bool expected)
    {
        Assert.Equal(expected, FrameworkDetector.ReadsText(path));
    }
}
