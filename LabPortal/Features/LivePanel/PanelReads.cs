using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LivePanel;

/// <summary>What one poll reads, from one scope: the run (database), its lab, and its learner's cloud clients.</summary>
public sealed class PanelReads(PortalDbContext db, LabCatalog labs, LearnerCloud cloud)
{
    public PortalDbContext Db => db;

    public LabCatalog Labs => labs;

    public LearnerCloud Cloud => cloud;
}
