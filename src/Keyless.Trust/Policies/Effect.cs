namespace Keyless.Trust.Policies;

public enum Effect
{
    Allow,
    Deny,
}
