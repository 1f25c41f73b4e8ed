from django.views.generic import DetailView, ListView

from core.models import Center


class CenterListView(ListView):
    template_name = "centers/center_list.html"
    context_object_name = "centers"
    paginate_by = 30

    def get_queryset(self):
        return Center.objects.filter(is_active=True).select_related("street", "community")


class CenterDetailView(DetailView):
    template_name = "centers/center_detail.html"
    context_object_name = "center"

    def get_queryset(self):
        return Center.objects.filter(is_active=True).select_related("street", "community")


class ActivityListView(ListView):
    template_name = "centers/activity_list.html"
    context_object_name = "activities"

    def get_queryset(self):
        return []
