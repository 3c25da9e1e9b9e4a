using LabPortal.Features.Accounts;
using LabPortal.Features.Classes;
using LabPortal.Features.Cleanup;
using LabPortal.Features.Instructors;
using LabPortal.Features.LabRuns;
using LabPortal.Features.LivePanel;
using LabPortal.Features.Preferences;
using LabPortal.Infrastructure;
using LabPortal.Infrastructure.Activity;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Health;
using LabPortal.Infrastructure.Jobs;
using LabPortal.Sandbox;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalWeb();
builder.AddData();
builder.AddJobs();
builder.AddCloud();
builder.AddRunActivity();
builder.AddAccounts();
builder.AddClasses();
builder.AddLabRuns();
builder.AddLivePanel();
builder.AddInstructors();
builder.AddCleanup();
builder.AddPortalHealthChecks();

var app = builder.Build();
app.UsePortalWeb(signedIn: web =>
{
    web.UseForcedPasswordChange();
    web.UseForeignRunPostsAsNotFound();
});
app.MapPortalHealthChecks();
app.MapJobsDashboard();
app.MapSandbox();
app.MapPreferences();
app.MapAccounts();
app.MapLabRuns();
app.MapCleanup();
app.MapPortalPages();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
