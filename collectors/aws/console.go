package awscollect

import (
	"fmt"
	"net/url"
	"strings"
)

// consoleBase is the AWS console's address for a region, by partition.
func consoleBase(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "https://console.amazonaws.cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "https://console.amazonaws-us-gov.com"
	}
	return "https://" + region + ".console.aws.amazon.com"
}

// alarmURL links to an alarm in the CloudWatch console.
func alarmURL(region, name string) string {
	return fmt.Sprintf("%s/cloudwatch/home?region=%s#alarmsV2:alarm/%s", consoleBase(region), region, url.PathEscape(name))
}

// pipelineURL links to a pipeline in the CodePipeline console.
func pipelineURL(region, name string) string {
	return fmt.Sprintf("%s/codesuite/codepipeline/pipelines/%s/view?region=%s", consoleBase(region), url.PathEscape(name), region)
}

// executionURL links to one execution of a pipeline.
func executionURL(region, name, id string) string {
	return fmt.Sprintf("%s/codesuite/codepipeline/pipelines/%s/executions/%s/timeline?region=%s",
		consoleBase(region), url.PathEscape(name), url.PathEscape(id), region)
}
