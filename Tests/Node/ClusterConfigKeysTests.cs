using Granary.Config;

namespace Granary.Tests.Node;

public sealed class ClusterConfigKeysTests
{
    [Theory]
    [InlineData("Granary:Health:HeartbeatInterval", "00:00:01", "Granary:Health:HeartbeatInterval", "00:00:01")]
    [InlineData("granary:health:heartbeatinterval", "0:0:3", "Granary:Health:HeartbeatInterval", "00:00:03")]
    [InlineData("Granary:Edge:AccessLog", "False", "Granary:Edge:AccessLog", "false")]
    [InlineData("Granary:Edge:MaxRequestBodySize", "100M", "Granary:Edge:MaxRequestBodySize", "104857600")]
    [InlineData("granary:edge:maxrequestbodysize", " 30000000 ", "Granary:Edge:MaxRequestBodySize", "30000000")]
    [InlineData("Granary:Edge:MaxRequestBodySize", "Unlimited", "Granary:Edge:MaxRequestBodySize", "unlimited")]
    public void Validate_KnownKey_CanonicalKeyAndNormalizedValue(string key, string value, string canonical, string normalized) =>
        Assert.Equal((canonical, normalized), ClusterConfigKeys.Validate(key, value));

    [Theory]
    [InlineData("Granary:Health:HeartbeatInterval", "soon", "takes a duration")]
    [InlineData("Granary:Health:HeartbeatInterval", "01:00:00", "takes a duration")]
    [InlineData("Granary:Edge:AccessLog", "maybe", "takes true or false")]
    [InlineData("Granary:Edge:MaxRequestBodySize", "-1", "takes unlimited, or a size in bytes")]
    [InlineData("Granary:Edge:MaxRequestBodySize", "1.5G", "takes unlimited, or a size in bytes")]
    [InlineData("Orleans:SiloPort", "11111", "is not a cluster setting")]
    public void Validate_BadInput_RefusedWithWhatItTakes(string key, string value, string reason) =>
        Assert.Contains(reason, Assert.Throws<InvalidClusterConfigException>(() => ClusterConfigKeys.Validate(key, value)).Message);
}
