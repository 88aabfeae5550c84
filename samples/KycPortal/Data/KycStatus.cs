namespace KycPortal.Data;

public enum KycStatus
{
    Pending,
    Approved,
    Rejected,
}
